"""pyopenjtalk-plus at run time: the OpenJTalk dictionary (dictionary/), the HTS voice mei (htsvoice/), the reading
models (yomi_model/*.onnx), and any shared libraries beside its extension modules. Without these the built-in voice
cannot start (pyopenjtalk locates them with importlib.resources next to its package)."""

from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs, collect_submodules

datas = collect_data_files(
    "pyopenjtalk",
    excludes=["**/*.pyx", "**/*.pxd", "**/*.pyi", "**/*.h", "**/*.c", "**/*.cpp", "**/__pycache__"],
)
binaries = collect_dynamic_libs("pyopenjtalk")
# The Cython modules import pure-Python siblings (e.g. pyopenjtalk._known_symbols) that the analysis cannot see.
# convert_onnx is a model-conversion tool (torch), not run-time code.
hiddenimports = collect_submodules("pyopenjtalk", filter=lambda name: not name.endswith(".convert_onnx"))
# tsqyomi's optional model (downloaded from a hub, needs `tokenizers`) is never used by the app.
excludedimports = ["tokenizers"]
