"""Downloads from Hugging Face: the shared BERT model and SBV2 voices, with progress and cancel.

A download runs on its own thread, beside the inference worker: a 1.3 GB BERT must not stop the person from
speaking with the voice already loaded. Cancelled downloads keep their partial files and resume next time."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..app import BERT_REPO, DownloadCancelled, Library, StudioError, download_bert, download_voice
from .core_text import error_text

BERT_VARIANTS = {
    "fp32": QT_TRANSLATE_NOOP("DownloadDialog", "FP32 model.onnx (1.3 GB, exact)"),
    "fp16": QT_TRANSLATE_NOOP("DownloadDialog", "FP16 model_fp16.onnx (650 MB)"),
}


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


class DownloadTask(QObject):
    """Runs one download function on its thread; progress, result and errors come back as signals."""

    progress = Signal(int, int, str)  # done bytes, total bytes, file name
    finished = Signal(object)  # what the download function returned
    failed = Signal(str)
    cancelled = Signal(str)

    def __init__(self, fetch: Callable[..., object]):
        super().__init__()
        self._fetch = fetch
        self.cancel_event = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            result = self._fetch(
                progress=lambda done, total, name: self.progress.emit(done, total, name), cancel=self.cancel_event
            )
        except DownloadCancelled as exc:
            self.cancelled.emit(str(exc))
        except StudioError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


class DownloadDialog(QDialog):
    """Non-modal: pick the BERT model or a voice repository, watch it come in, cancel any time."""

    downloaded = Signal(str, object)  # "bert" or "voice", the BertModel or ModelEntry

    def __init__(self, library: Library, parent: QWidget | None = None, bert_path: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Download from Hugging Face"))
        self.setModal(False)
        self.library = library
        self._thread: QThread | None = None
        self._task: DownloadTask | None = None

        self.bert_choice = QRadioButton(
            self.tr("The Japanese BERT ({repo}), needed by every SBV2 voice").format(repo=BERT_REPO)
        )
        self.voice_choice = QRadioButton(self.tr("An SBV2 voice (ONNX folder or .aivmx) from a repository"))
        group = QButtonGroup(self)
        group.addButton(self.bert_choice)
        group.addButton(self.voice_choice)
        try:  # the folder set with Models ▸ Set BERT folder counts, as it does for loading
            have_bert = library.find_bert(explicit=bert_path) is not None
        except StudioError:
            have_bert = False
        (self.voice_choice if have_bert else self.bert_choice).setChecked(True)

        self.variant = QComboBox()
        for key, label in BERT_VARIANTS.items():
            self.variant.addItem(self.tr(label), key)
        self.repo = QLineEdit()
        self.repo.setPlaceholderText(self.tr("owner/name, e.g. someone/my-sbv2-voice-onnx"))
        self.subfolder = QLineEdit()
        self.subfolder.setPlaceholderText(self.tr("optional: folder or .aivmx path inside the repository"))
        form = QFormLayout()
        form.addRow(self.tr("BERT graph"), self.variant)
        form.addRow(self.tr("Repository"), self.repo)
        form.addRow(self.tr("Subfolder"), self.subfolder)

        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.status = QLabel(
            self.tr("BERT is installed.") if have_bert else self.tr("SBV2 voices need the BERT model first.")
        )
        self.status.setWordWrap(True)
        self.start_button = QPushButton(self.tr("Download"))
        self.cancel_button = QPushButton(self.tr("Cancel download"))
        self.cancel_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.bert_choice)
        layout.addWidget(self.voice_choice)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addLayout(row)

        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.bert_choice.toggled.connect(self._sync)
        self._sync()
        self.resize(560, self.sizeHint().height())

    def _sync(self) -> None:
        bert = self.bert_choice.isChecked()
        self.variant.setEnabled(bert)
        self.repo.setEnabled(not bert)
        self.subfolder.setEnabled(not bert)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self.running:
            return
        if self.bert_choice.isChecked():
            kind, variant = "bert", self.variant.currentData()

            def fetch(progress, cancel):
                return download_bert(self.library, variant=variant, progress=progress, cancel=cancel)
        else:
            repo = self.repo.text().strip()
            if "/" not in repo:
                self.status.setText(self.tr("Type a repository id of the form owner/name."))
                return
            kind, subfolder = "voice", self.subfolder.text().strip() or None

            def fetch(progress, cancel):
                return download_voice(self.library, repo, subfolder=subfolder, progress=progress, cancel=cancel)

        self._kind = kind
        self._task = DownloadTask(fetch)
        self._thread = QThread(self)
        self._task.moveToThread(self._thread)
        self._thread.started.connect(self._task.run)
        self._task.progress.connect(self._on_progress)
        self._task.finished.connect(self._on_finished)
        # Bound methods of this dialog (not lambdas), so the calls are queued onto the GUI thread.
        self._task.failed.connect(self._on_failed)
        self._task.cancelled.connect(self._on_cancelled)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.bar.setValue(0)
        self.status.setText(self.tr("Connecting…"))
        self._thread.start()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel_event.set()
            self.status.setText(self.tr("Cancelling…"))

    def _on_progress(self, done: int, total: int, name: str) -> None:
        if total > 0:
            self.bar.setValue(int(1000 * done / total))
        self.status.setText(
            self.tr("{name}: {done} of {total}").format(name=name, done=_size(done), total=_size(total))
        )

    def _on_finished(self, result: object) -> None:
        self.bar.setValue(1000)
        if self._kind == "bert":
            self._end(self.tr("Installed. SBV2 voices can be loaded now."))
        else:
            self._end(self.tr("Installed. Pick it in Model."))
        self.downloaded.emit(self._kind, result)

    def _on_failed(self, message: str) -> None:
        self._end(self.tr("Download failed: {message}").format(message=error_text(message)))

    def _on_cancelled(self, _message: str) -> None:
        self._end(self.tr("Cancelled. Downloading again resumes where it stopped."))

    def _end(self, message: str) -> None:
        self.status.setText(message)
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread = self._task = None
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def closeEvent(self, event) -> None:
        # Closing the window does not stop a download; the person cancels explicitly.
        if self.running:
            self.hide()
            event.ignore()
        else:
            super().closeEvent(event)
