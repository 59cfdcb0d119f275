"""The app itself: every module, the Qt window included (the CLI imports it lazily)."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("sbv2_studio")
