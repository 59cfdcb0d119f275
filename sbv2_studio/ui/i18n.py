"""The window's language: Japanese or English, through Qt's translation system.

Every string the window shows is written in English in the sources and wrapped in `self.tr` /
`QCoreApplication.translate`; `pyside6-lupdate` collects them into i18n/sbv2_studio_ja.ts, which holds the
Japanese, and `pyside6-lrelease` compiles that into the .qm loaded here (tools/update_translations.py runs both).
Which language: SBV2_STUDIO_LANG (tests, screenshots), else the saved choice (Help ▸ Language), else the
system's (Japanese when the system locale is Japanese, English otherwise, e.g. LANG=C).

Texts from tables outside ui/ (the parameter labels of engine/params.py, the job descriptions of app/jobs.py,
the stage names) are listed here with QT_TRANSLATE_NOOP so that lupdate sees them, and are translated when shown,
keyed by their English text: the tables themselves stay English (the CLI and the CSV files use them). The texts
the core renders (error messages, progress lines, the chunk timeline's reasons, voice and configuration labels)
are matched against their templates and translated by ui/core_text.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANG_ENV = "SBV2_STUDIO_LANG"
LANGUAGES = ("system", "ja", "en")  # what the setting and the environment variable accept
I18N_DIR = Path(__file__).resolve().parent / "i18n"
CATALOG = "sbv2_studio"  # i18n/sbv2_studio_<lang>.qm

# engine/params.py's labels and help texts (tests/ui/test_i18n.py checks this list against the table).
PARAM_CONTEXT = "Parameters"
PARAM_TEXTS = (
    QT_TRANSLATE_NOOP("Parameters", "Style strength"),
    QT_TRANSLATE_NOOP("Parameters", "How strongly the chosen style colours the voice"),
    QT_TRANSLATE_NOOP("Parameters", "SDP ratio"),
    QT_TRANSLATE_NOOP("Parameters", "Mix of the stochastic duration predictor (more varied rhythm)"),
    QT_TRANSLATE_NOOP("Parameters", "Noise"),
    QT_TRANSLATE_NOOP("Parameters", "Variation in the voice itself"),
    QT_TRANSLATE_NOOP("Parameters", "Noise_W"),
    QT_TRANSLATE_NOOP(
        "Parameters",
        "Variation in phoneme lengths (from the stochastic duration predictor: no effect while SDP ratio is 0)",
    ),
    QT_TRANSLATE_NOOP("Parameters", "Length (1/speed)"),
    QT_TRANSLATE_NOOP("Parameters", "Above 1 speaks slower, below 1 faster"),
    QT_TRANSLATE_NOOP("Parameters", "Volume"),
    QT_TRANSLATE_NOOP("Parameters", "Loudness of the speech (1: as the voice makes it)"),
    QT_TRANSLATE_NOOP("Parameters", "Silence before (s)"),
    QT_TRANSLATE_NOOP("Parameters", "Seconds of silence before the speech"),
    QT_TRANSLATE_NOOP("Parameters", "Silence after (s)"),
    QT_TRANSLATE_NOOP("Parameters", "Seconds of silence after the speech"),
    QT_TRANSLATE_NOOP("Parameters", "Assist weight"),
    QT_TRANSLATE_NOOP("Parameters", "How much of the assist text's feel is blended in"),
    QT_TRANSLATE_NOOP("Parameters", "Line pause (s)"),
    QT_TRANSLATE_NOOP("Parameters", "Seconds of silence between lines"),
)

# app/jobs.py's DESCRIPTIONS (the status bar's "…in progress" line).
JOB_CONTEXT = "Jobs"
JOB_TEXTS = (
    QT_TRANSLATE_NOOP("Jobs", "Scanning voices"),
    QT_TRANSLATE_NOOP("Jobs", "Loading voice"),
    QT_TRANSLATE_NOOP("Jobs", "Warming up"),
    QT_TRANSLATE_NOOP("Jobs", "Getting streaming ready"),
    QT_TRANSLATE_NOOP("Jobs", "Synthesizing"),
    QT_TRANSLATE_NOOP("Jobs", "Speaking"),
    QT_TRANSLATE_NOOP("Jobs", "Comparing backends"),
    QT_TRANSLATE_NOOP("Jobs", "Retrying the GPU"),
    QT_TRANSLATE_NOOP("Jobs", "Importing a voice"),
    QT_TRANSLATE_NOOP("Jobs", "Removing a voice"),
    QT_TRANSLATE_NOOP("Jobs", "Exporting lines"),
    QT_TRANSLATE_NOOP("Jobs", "Serving an API request"),
    QT_TRANSLATE_NOOP("Jobs", "Finding the fastest backends for this machine"),
    QT_TRANSLATE_NOOP("Jobs", "Reading the text ahead"),
)

# The pipeline's stage names (app STAGES) as chart ticks, legends and table headers.
STAGE_CONTEXT = "Stages"
STAGE_TEXTS = (
    QT_TRANSLATE_NOOP("Stages", "frontend"),
    QT_TRANSLATE_NOOP("Stages", "tokenize"),
    QT_TRANSLATE_NOOP("Stages", "bert"),
    QT_TRANSLATE_NOOP("Stages", "align"),
    QT_TRANSLATE_NOOP("Stages", "synthesize"),
    QT_TRANSLATE_NOOP("Stages", "postprocess"),
    QT_TRANSLATE_NOOP("Stages", "total"),
)


def param_text(text: str) -> str:
    """A label or help text of engine/params.py in the window's language."""
    return QCoreApplication.translate(PARAM_CONTEXT, text)


def job_text(text: str) -> str:
    """A job description of app/jobs.py in the window's language."""
    return QCoreApplication.translate(JOB_CONTEXT, text)


def stage_text(stage: str) -> str:
    """A stage name (frontend, bert, synthesize…) in the window's language."""
    return QCoreApplication.translate(STAGE_CONTEXT, stage)


def system_language() -> str:
    return "ja" if QLocale.system().language() == QLocale.Language.Japanese else "en"


def resolve_language(saved: str | None = None) -> str:
    """ "ja" or "en": SBV2_STUDIO_LANG, else the saved choice, else the system's ("system" defers to it too)."""
    for choice in (os.environ.get(LANG_ENV, "").strip().lower(), (saved or "").strip().lower()):
        if choice in ("ja", "en"):
            return choice
    return system_language()


def catalog_path(language: str) -> Path:
    return I18N_DIR / f"{CATALOG}_{language}.qm"


def qt_translation_dirs() -> list[str]:
    """Where Qt's own catalogs (qtbase_ja.qm) are: Qt's configured folder, else the PySide6 wheel's."""
    import PySide6

    return [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations"),
    ]


class Translation:
    """The translators installed on the application for one language (none for English: the sources are English)."""

    def __init__(self, language: str):
        self.language = language
        self.translators: list[QTranslator] = []
        self.missing: list[str] = []  # catalogs that could not be loaded (the window stays English there)

    def install(self, app: QCoreApplication) -> Translation:
        if self.language == "en":
            return self
        ours = QTranslator(app)
        if ours.load(str(catalog_path(self.language))):
            self.translators.append(ours)
        else:
            self.missing.append(str(catalog_path(self.language)))
        # Qt's own strings (the buttons of message boxes and file dialogs, context menus of text fields).
        qt = QTranslator(app)
        if any(qt.load(f"qtbase_{self.language}", folder) for folder in qt_translation_dirs()):
            self.translators.append(qt)
        for translator in self.translators:
            app.installTranslator(translator)
        return self

    def remove(self, app: QCoreApplication) -> None:
        for translator in self.translators:
            app.removeTranslator(translator)
        self.translators = []


def install_language(app: QCoreApplication, saved: str | None = None) -> Translation:
    """Install the translators for the language the person asked for (see `resolve_language`)."""
    return Translation(resolve_language(saved)).install(app)
