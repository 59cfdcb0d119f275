"""The core's error messages in the window's language.

The core (sbv2_studio outside ui/) is Qt-free and speaks English: the CLI, the HTTP API and the logs read its
StudioError texts as they are. The window shows the same texts translated: every message template of the core is
listed here with QT_TRANSLATE_NOOP (so pyside6-lupdate puts it into i18n/sbv2_studio_ja.ts), `{name}` standing for
each variable part. `error_text(message)` finds the template a rendered message was made from, translates the
template and puts the variable parts back (paths, numbers, names and the person's text stay as they are; a part
that is itself an error text, `{error}`, `{problem}` or `{reason}`, is translated the same way). A message no
template matches is shown as it is: never an exception, never a lost detail.

Two shapes need no template of their own:
- "PREFIX: KNOWN", a path, a field or a backend naming the subject of a known message (ModelError is always
  "path: problem", DictionaryError "field: problem"): the prefix stays, the rest is translated;
- "KNOWN; KNOWN", several known messages joined (the reasons a comparison skipped a configuration).

tests/ui/test_error_text.py reads the core's sources and fails while one of its messages has no template here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Errors"
NESTED = frozenset({"error", "problem", "reason", "usage"})  # placeholders holding another error's text
MAX_DEPTH = 6

# The templates, grouped by where the core says them. A template's `{name}`s are the variable parts, in any
# order; a name may be used twice (the translation gets its texts in the order of the English). "PREFIX: " parts that merely name the subject
# (a path, a field, a backend) are left out: the PREFIX rule above covers them.
TEMPLATES = (
    # jobs.py: a failure that is not a StudioError (a bug): its type and text are shown as they are
    QT_TRANSLATE_NOOP("Errors", "unexpected {type}: {error}"),
    # app/export.py, audio/__init__.py
    QT_TRANSLATE_NOOP("Errors", "cannot write the audio there ({error})"),
    QT_TRANSLATE_NOOP("Errors", "cannot write the exported files there ({error})"),
    QT_TRANSLATE_NOOP("Errors", "no line of the text could be spoken: {error}"),
    QT_TRANSLATE_NOOP("Errors", "no line of the text could be spoken"),
    QT_TRANSLATE_NOOP("Errors", "cannot save as '{suffix}' (use .wav or .flac)"),
    # app/studio.py, app/takes.py
    QT_TRANSLATE_NOOP("Errors", "no voice is loaded yet"),
    QT_TRANSLATE_NOOP("Errors", "cannot read it as UTF-8 text ({error})"),
    QT_TRANSLATE_NOOP("Errors", "{error}; the speech is still made, and you can save it"),
    QT_TRANSLATE_NOOP("Errors", "only a finished synthesis can be kept as a take"),
    QT_TRANSLATE_NOOP("Errors", "there is no take {take} (it may have been dropped: the history keeps {count})"),
    # app/voices.py
    QT_TRANSLATE_NOOP("Errors", "{what}={value}: {error} (backends: cpu, cuda[:N], dml[:N], openvino[:CPU|GPU|NPU] …)"),
    QT_TRANSLATE_NOOP("Errors", "bert_variant={variant} and bert_precision={precision} disagree"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "SBV2 voices need the DeBERTa BERT model, and none was found: download it from the Models menu "
        "(or `sbv2-studio download-bert`), or put the ONNX folder at {folder}",
    ),
    # app/compare.py: why a configuration was skipped
    QT_TRANSLATE_NOOP("Errors", "{stage} asked for {backend} but runs on {device}"),
    # audio/player.py
    QT_TRANSLATE_NOOP("Errors", "no audio device: the output stream could not be opened ({error})"),
    QT_TRANSLATE_NOOP("Errors", "no audio device: the PortAudio library could not be loaded ({error})"),
    QT_TRANSLATE_NOOP("Errors", "no audio device: the audio system could not list devices ({error})"),
    QT_TRANSLATE_NOOP("Errors", "no audio device: no output device was found"),
    # engine/bert.py, engine/tokenizer.py
    QT_TRANSLATE_NOOP("Errors", "not a BERT graph: inputs are {inputs}, expected input_ids"),
    QT_TRANSLATE_NOOP("Errors", "not a BERT graph: input '{name}' is {type}, expected int64"),
    QT_TRANSLATE_NOOP("Errors", "BERT output has shape {shape}, expected [{tokens}, {dim}]"),
    QT_TRANSLATE_NOOP("Errors", "the BERT folder has no tokenizer vocabulary (vocab.txt)"),
    QT_TRANSLATE_NOOP(
        "Errors", "subword tokenizer '{name}' is not the character tokenizer that SBV2's Japanese DeBERTa uses"
    ),
    QT_TRANSLATE_NOOP("Errors", "word tokenizer '{name}' is not supported (basic only)"),
    QT_TRANSLATE_NOOP("Errors", "vocabulary lacks special tokens {tokens}"),
    QT_TRANSLATE_NOOP("Errors", "not UTF-8 text ({error})"),
    # engine/params.py, models/formats.py: synthesis parameters
    QT_TRANSLATE_NOOP("Errors", "seed={seed} must be a whole number in 0..{max}"),
    QT_TRANSLATE_NOOP("Errors", "{name}={value} is not a number"),
    QT_TRANSLATE_NOOP("Errors", "{name}={value} is outside {lo}..{hi}"),
    QT_TRANSLATE_NOOP("Errors", "speaker={speaker} is neither a speaker number nor a name"),
    QT_TRANSLATE_NOOP("Errors", "{name}={value} is not text"),
    QT_TRANSLATE_NOOP("Errors", "split_lines={value} is not true or false"),
    QT_TRANSLATE_NOOP("Errors", "speaker '{speaker}' is not in {voice} (speakers: {speakers})"),
    QT_TRANSLATE_NOOP("Errors", "speaker id {speaker} is out of range for {voice} (0..{max})"),
    QT_TRANSLATE_NOOP("Errors", "style '{style}' is not in {voice} (styles: {styles})"),
    # engine/synthesis.py, engine/builtin.py, engine/pipeline.py, engine/text/*: the text
    QT_TRANSLATE_NOOP("Errors", "the text is empty: type some Japanese to speak"),
    QT_TRANSLATE_NOOP("Errors", "the text has {count} characters; at most {max} fit in one request"),
    QT_TRANSLATE_NOOP("Errors", "{voice} speaks text only, not an edited query: choose an SBV2 voice"),
    QT_TRANSLATE_NOOP("Errors", "nothing in the text is readable: {text}"),
    QT_TRANSLATE_NOOP("Errors", "nothing in the text can be read aloud: {text}"),
    QT_TRANSLATE_NOOP("Errors", "the text has nothing readable after normalization: {text}"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "the tokenizer split {text} into {tokens} tokens but the text front end aligned {chars} characters; "
        "this text cannot be aligned",
    ),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: the characters of {bert_text} cannot be matched to phonemes"),
    QT_TRANSLATE_NOOP("Errors", "{reading} is not a katakana reading"),
    QT_TRANSLATE_NOOP("Errors", "the reading {reading} cannot start with ー"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: it gives phonemes the model does not know ({phonemes})"),
    QT_TRANSLATE_NOOP("Errors", "OpenJTalk cannot analyze {text}…: {error}"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: OpenJTalk gave it an empty reading"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: OpenJTalk read it as {reading}"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: OpenJTalk's reading {reading} is not katakana"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: no phonemes for {mora} in the reading {reading}"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: a long vowel mark follows a word with no sound"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: OpenJTalk put a silence inside the sentence"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: OpenJTalk's labels do not end in silence"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: OpenJTalk gave unexpected accent levels {levels}"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "cannot read {text}: OpenJTalk's reading and its accent labels disagree (reading {reading}, labels {labels})",
    ),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: the BERT sees no characters in {word}"),
    QT_TRANSLATE_NOOP("Errors", "the phoneme {phoneme} is not in the model's symbol table"),
    # engine/query.py: accent edits and AudioQuery JSON
    QT_TRANSLATE_NOOP("Errors", "accent {accent} is outside 0..{moras} (the phrase has {moras} moras)"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {text}: the mora {mora} has two pitches {pitches}"),
    QT_TRANSLATE_NOOP("Errors", "accent phrase {phrase} does not exist (the line has {count})"),
    QT_TRANSLATE_NOOP("Errors", "mora {mora} does not exist in accent phrase {phrase} ({count} moras)"),
    QT_TRANSLATE_NOOP("Errors", "pitch must be 0 (low) or 1 (high), not {pitch}"),
    QT_TRANSLATE_NOOP("Errors", "accent phrase {phrase} is punctuation only: it has no reading to change"),
    QT_TRANSLATE_NOOP("Errors", "reading of accent phrase {phrase}: {reading} is not a katakana reading"),
    QT_TRANSLATE_NOOP("Errors", "reading of accent phrase {phrase}: the reading {reading} cannot start with ー"),
    QT_TRANSLATE_NOOP("Errors", "accent phrase {phrase} can be split after 1..{max} moras, not {at}"),
    QT_TRANSLATE_NOOP("Errors", "accent phrase {phrase} is the last one: there is nothing to join it with"),
    QT_TRANSLATE_NOOP("Errors", "accent phrase {phrase} ends in punctuation: phrases cannot be joined across it"),
    QT_TRANSLATE_NOOP("Errors", "an accent phrase needs moras (only leading punctuation stands alone)"),
    QT_TRANSLATE_NOOP("Errors", "{where}.pitch: SBV2 pitches are 0 (low) or 1 (high), not {pitch}"),
    QT_TRANSLATE_NOOP("Errors", "{where}.vowel: punctuation {vowel} belongs in the pause_mora"),
    QT_TRANSLATE_NOOP("Errors", "{where}.pause_mora: markWords must give one word per mark"),
    QT_TRANSLATE_NOOP("Errors", "{where}.pause_mora.text: {text} is not a punctuation mark SBV2 speaks"),
    QT_TRANSLATE_NOOP("Errors", "word {word} is out of order or not among the {count} words"),
    QT_TRANSLATE_NOOP("Errors", "a query must be a JSON object"),
    QT_TRANSLATE_NOOP("Errors", "text: the query must say which text it speaks"),
    QT_TRANSLATE_NOOP("Errors", "words: a list of the text's words (strings, what the BERT reads) is needed"),
    QT_TRANSLATE_NOOP("Errors", "accent_phrases: a list of accent phrases is needed"),
    QT_TRANSLATE_NOOP("Errors", "{where}.moras: a list of moras is needed"),
    QT_TRANSLATE_NOOP("Errors", "needs text, vowel, pitch (0/1) and word ({error})"),
    QT_TRANSLATE_NOOP("Errors", "{where}.pause_mora.markWords: the word of each mark is needed"),
    QT_TRANSLATE_NOOP("Errors", "not a JSON query: {error}"),
    # engine/text/user_dict.py: the user dictionary (the field, e.g. "pronunciation: ", is the PREFIX)
    QT_TRANSLATE_NOOP("Errors", "is empty: give the word as it is written"),
    QT_TRANSLATE_NOOP("Errors", "{surface} must not contain commas, quotes or spaces"),
    QT_TRANSLATE_NOOP("Errors", "{pronunciation} is not a katakana pronunciation (e.g. キクチ, not きくち)"),
    QT_TRANSLATE_NOOP("Errors", "{accent} is not a whole number"),
    QT_TRANSLATE_NOOP("Errors", "{accent} is beyond the {moras} mora(s) of {pronunciation} (0..{moras})"),
    QT_TRANSLATE_NOOP("Errors", "{word_type} is not one of {word_types}"),
    QT_TRANSLATE_NOOP("Errors", "{priority} is outside {lo}..{hi}"),
    QT_TRANSLATE_NOOP("Errors", "is not a JSON object"),
    QT_TRANSLATE_NOOP("Errors", "{pos} is not a part of speech the studio offers"),
    QT_TRANSLATE_NOOP("Errors", "word {word}: {problem}"),
    QT_TRANSLATE_NOOP("Errors", "not a VOICEVOX user dictionary (invalid JSON: {error})"),
    QT_TRANSLATE_NOOP("Errors", "not a VOICEVOX user dictionary (expected an object of words)"),
    QT_TRANSLATE_NOOP("Errors", "no word with the id {id} in the user dictionary"),
    QT_TRANSLATE_NOOP("Errors", "cannot be written ({error})"),
    QT_TRANSLATE_NOOP("Errors", "MeCab could not compile the user dictionary ({error})"),
    QT_TRANSLATE_NOOP("Errors", "MeCab could not compile the user dictionary (no .dic was written)"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "the user dictionary could not be read ({error}); it was moved to {aside} and an empty one started",
    ),
    QT_TRANSLATE_NOOP("Errors", "the file is not a JSON object of words"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "{count} word(s) could not be used and were left out ({problem}); the file as it was is kept as {aside}",
    ),
    # models/*: voice files and folders (a ModelError is "path: problem"; the problem is translated)
    QT_TRANSLATE_NOOP("Errors", "missing"),
    QT_TRANSLATE_NOOP("Errors", "does not exist"),
    QT_TRANSLATE_NOOP("Errors", "not a folder"),
    QT_TRANSLATE_NOOP("Errors", "cannot be read ({error})"),
    QT_TRANSLATE_NOOP("Errors", "not valid JSON ({error})"),
    QT_TRANSLATE_NOOP("Errors", "not a usable JSON file (nested too deeply)"),
    QT_TRANSLATE_NOOP("Errors", "expected a JSON object, not {type}"),
    QT_TRANSLATE_NOOP("Errors", "no 'data' section: this is not an SBV2 config.json"),
    QT_TRANSLATE_NOOP("Errors", "malformed '{field}' ({error})"),
    QT_TRANSLATE_NOOP("Errors", "data.sampling_rate {rate} is not a sampling rate ({lo}..{hi})"),
    QT_TRANSLATE_NOOP("Errors", "data.n_speakers ({speakers}) and data.num_styles ({styles}) must be 1 or more"),
    QT_TRANSLATE_NOOP("Errors", "speaker ids {ids} are outside n_speakers={count}"),
    QT_TRANSLATE_NOOP("Errors", "malformed 'model' section: expected an object, not {type}"),
    QT_TRANSLATE_NOOP("Errors", "malformed decoder layout in the 'model' section ({type}: {error})"),
    QT_TRANSLATE_NOOP("Errors", "style vectors are {type}, not numbers"),
    QT_TRANSLATE_NOOP("Errors", "style vectors have shape {shape}, expected [num_styles, {dim}]"),
    QT_TRANSLATE_NOOP("Errors", "styles {styles} have no row among the {count} style vectors"),
    QT_TRANSLATE_NOOP("Errors", "style vectors contain NaN or infinity"),
    QT_TRANSLATE_NOOP("Errors", "missing: an SBV2 model folder needs style_vectors.npy"),
    QT_TRANSLATE_NOOP("Errors", "not a readable .npy array ({error})"),
    QT_TRANSLATE_NOOP("Errors", "not an SBV2 synthesizer: inputs are {inputs} (missing {missing})"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "no .onnx synthesizer in the folder (a .safetensors voice is converted when imported: "
        "sbv2-studio import FOLDER, or Import… in the window)",
    ),
    QT_TRANSLATE_NOOP("Errors", "not a valid AIVMX file: {error}"),
    QT_TRANSLATE_NOOP("Errors", "not an ONNX/AIVMX file ({type}: {error})"),
    QT_TRANSLATE_NOOP("Errors", "AIVMX metadata has no style vectors (aivm_style_vectors)"),
    QT_TRANSLATE_NOOP("Errors", "AIVMX style vectors are not a readable .npy array ({error})"),
    QT_TRANSLATE_NOOP("Errors", "AIVMX speakers {ids} are outside n_speakers={count}"),
    QT_TRANSLATE_NOOP("Errors", "not an SBV2 model folder or .aivmx file"),
    QT_TRANSLATE_NOOP("Errors", "not a BERT ONNX folder"),
    QT_TRANSLATE_NOOP("Errors", "no model.onnx or model_fp16.onnx in the BERT folder"),
    QT_TRANSLATE_NOOP("Errors", "missing: the BERT folder needs its tokenizer files beside the model"),
    QT_TRANSLATE_NOOP("Errors", "empty file (0 bytes): not an ONNX model"),
    QT_TRANSLATE_NOOP("Errors", "not an ONNX model: corrupt or truncated ({error})"),
    QT_TRANSLATE_NOOP("Errors", "not an ONNX model: no graph (corrupt, truncated or another kind of file)"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "the graph is {graph} but config.json says version '{version}': the config and the model do not belong "
        "together",
    ),
    QT_TRANSLATE_NOOP("Errors", "not an SBV2 synthesizer: no 'output' among outputs {outputs}"),
    QT_TRANSLATE_NOOP("Errors", "a file of this model is nested too deeply to read"),
    QT_TRANSLATE_NOOP("Errors", "onnxruntime cannot open the graph ({error})"),
    QT_TRANSLATE_NOOP("Errors", "not a BERT graph: inputs are {inputs} (missing {missing})"),
    QT_TRANSLATE_NOOP("Errors", "not a BERT graph: unexpected input '{name}' ({type})"),
    QT_TRANSLATE_NOOP("Errors", "not a BERT graph: input '{name}' is {type}, expected int64 token ids"),
    QT_TRANSLATE_NOOP("Errors", "not an ONNX model onnxruntime can open ({error})"),
    QT_TRANSLATE_NOOP("Errors", "a model of that name is already in the library"),
    QT_TRANSLATE_NOOP("Errors", "the built-in voice cannot be removed"),
    QT_TRANSLATE_NOOP("Errors", "{path} is not inside the library folder; remove its folder from the list instead"),
    QT_TRANSLATE_NOOP("Errors", "the built-in voice is not an SBV2 model"),
    QT_TRANSLATE_NOOP("Errors", "no such BERT folder ({source})"),
    # models/safetensors_voice.py, graphs/sbv2_builder: importing a .safetensors voice
    QT_TRANSLATE_NOOP("Errors", "missing: a .safetensors voice needs its config.json beside it"),
    QT_TRANSLATE_NOOP("Errors", "no checkpoint named {name} (there are: {names})"),
    QT_TRANSLATE_NOOP("Errors", "the converted graph does not run: {error}"),
    QT_TRANSLATE_NOOP("Errors", "the converted graph gives NaN or infinite audio: the weights look garbled"),
    QT_TRANSLATE_NOOP("Errors", "not a readable .safetensors file (truncated or garbled?): {error}"),
    QT_TRANSLATE_NOOP("Errors", "cannot be converted: {error}"),
    QT_TRANSLATE_NOOP("Errors", "does not match its config.json ({arch}): {error}"),
    # graphs/bert_variants.py: the BERT's FP16/INT8 variants
    QT_TRANSLATE_NOOP("Errors", "not a readable ONNX graph ({type}: {error})"),
    QT_TRANSLATE_NOOP("Errors", "the fp16 conversion of {source} does not load in onnxruntime ({error})"),
    QT_TRANSLATE_NOOP("Errors", "unknown BERT variant '{variant}' (choose from {variants})"),
    QT_TRANSLATE_NOOP("Errors", "the {variant} BERT variant needs the FP32 graph (model.onnx) in {folder}"),
    # graphs/split.py: splitting a voice's graph for streaming
    QT_TRANSLATE_NOOP("Errors", "the graph has no '{name}' output (outputs: {outputs})"),
    QT_TRANSLATE_NOOP("Errors", "could not find the tensor the decoder reads (z * y_mask) in this graph"),
    QT_TRANSLATE_NOOP("Errors", "the decoder part of the graph is empty"),
    QT_TRANSLATE_NOOP("Errors", "the decoder does not read the latent tensor {name}"),
    QT_TRANSLATE_NOOP("Errors", "cannot cut {name} out of the graph: {error}"),
    QT_TRANSLATE_NOOP("Errors", "the decoder cut holds {count} nodes, the decoder {expected}"),
    QT_TRANSLATE_NOOP("Errors", "a decoder upsampling layer is not preceded by a leaky ReLU"),
    QT_TRANSLATE_NOOP("Errors", "the decoder has no transposed convolutions"),
    QT_TRANSLATE_NOOP("Errors", "a decoder part reads {tensors}: the decoder cannot be split into levels"),
    QT_TRANSLATE_NOOP("Errors", "the decoder parts do not cover the decoder"),
    QT_TRANSLATE_NOOP("Errors", "no such model file"),
    QT_TRANSLATE_NOOP("Errors", "cannot read the ONNX graph ({error})"),
    QT_TRANSLATE_NOOP("Errors", "the split graphs give {count} samples, the whole graph {expected}"),
    QT_TRANSLATE_NOOP("Errors", "the split graphs differ from the whole graph by {diff}"),
    # models/downloads.py
    QT_TRANSLATE_NOOP("Errors", "download cancelled; run it again to resume where it stopped"),
    QT_TRANSLATE_NOOP("Errors", "unknown BERT variant {variant} (choose {variants})"),
    QT_TRANSLATE_NOOP("Errors", "{repo} has no {files}: the repo is not the expected DeBERTa ONNX export"),
    QT_TRANSLATE_NOOP("Errors", "the downloaded BERT model does not load: {error}"),
    QT_TRANSLATE_NOOP("Errors", "the downloaded voice does not load: {error}"),
    QT_TRANSLATE_NOOP("Errors", "Hugging Face downloads are off (HF_HUB_OFFLINE is set)"),
    QT_TRANSLATE_NOOP("Errors", "{repo} is gated: accept its terms on the Hub, then log in (hf auth login)"),
    QT_TRANSLATE_NOOP("Errors", "{repo} has no revision {revision}"),
    QT_TRANSLATE_NOOP("Errors", "no such model repo on Hugging Face (or it is private: log in)"),
    QT_TRANSLATE_NOOP("Errors", "Hugging Face refused the request for {repo}: {error}"),
    QT_TRANSLATE_NOOP("Errors", "{repo} is not a Hugging Face repo id (owner/name)"),
    QT_TRANSLATE_NOOP("Errors", "cannot reach Hugging Face ({endpoint}): check your connection"),
    QT_TRANSLATE_NOOP("Errors", "{repo} has no file {path}"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "{repo} has no safetensors voice checkpoint {path} (with config.json and style_vectors.npy beside it)",
    ),
    QT_TRANSLATE_NOOP("Errors", "{repo} holds several voices ({voices}): choose one as the subfolder"),
    QT_TRANSLATE_NOOP("Errors", "{repo} has no folder {path}"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "{repo} has only .safetensors weights without config.json and style_vectors.npy beside them: they cannot be "
        "turned into a voice",
    ),
    QT_TRANSLATE_NOOP(
        "Errors",
        "{repo} holds no SBV2 voice (config.json + style_vectors.npy + .onnx or .safetensors, or an .aivmx)",
    ),
    QT_TRANSLATE_NOOP("Errors", "cannot write the download under {folder} ({error})"),
    QT_TRANSLATE_NOOP(
        "Errors", "the download keeps failing ({reason}); check your connection and run it again to resume"
    ),
    QT_TRANSLATE_NOOP("Errors", "{path} arrived corrupt ({problem}); it was deleted, run the download again"),
    QT_TRANSLATE_NOOP("Errors", "the server refused to resume"),
    QT_TRANSLATE_NOOP("Errors", "Hugging Face answered HTTP {status}"),
    QT_TRANSLATE_NOOP("Errors", "the connection closed early"),
    QT_TRANSLATE_NOOP("Errors", "cannot reach {endpoint}"),
    QT_TRANSLATE_NOOP("Errors", "access denied by Hugging Face (a gated or private repo needs you to log in)"),
    QT_TRANSLATE_NOOP("Errors", "not found on Hugging Face"),
    QT_TRANSLATE_NOOP("Errors", "{size} bytes instead of {expected}"),
    QT_TRANSLATE_NOOP("Errors", "sha256 {digest} instead of {expected}"),
    QT_TRANSLATE_NOOP("Errors", "git blob id {digest} instead of {expected}"),
    # runtime/backends.py, runtime/ov_backend.py: execution backends (a backend's label is the PREFIX)
    QT_TRANSLATE_NOOP("Errors", "unknown backend '{backend}' (choose from {backends})"),
    QT_TRANSLATE_NOOP("Errors", "unknown precision '{precision}' (choose from {precisions})"),
    QT_TRANSLATE_NOOP("Errors", "{kind}: devices are numbers ({kind}:0, {kind}:1 …), not '{device}'"),
    QT_TRANSLATE_NOOP("Errors", "backend '{backend}': the device after ':' must be a number, as in {kind}:0"),
    QT_TRANSLATE_NOOP("Errors", "{what} has no {precision} graph (choose from {precisions})"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "onnxruntime runs {what} in {precisions} only, not {precision} (OpenVINO runs bf16/fp16 where the CPU or "
        "GPU has them: --synth-backend openvino)",
    ),
    QT_TRANSLATE_NOOP("Errors", "onnxruntime runs {what} in {precisions} only, not {precision}"),
    QT_TRANSLATE_NOOP("Errors", "SBV2_STUDIO_FAULT: bad fault spec '{spec}': {usage}"),
    QT_TRANSLATE_NOOP("Errors", "use KIND:create[:MESSAGE] or KIND:run:N[:MESSAGE], KIND one of {kinds}"),
    QT_TRANSLATE_NOOP(
        "Errors", "SBV2_STUDIO_FAULT: bad fault spec '{spec}': N (the failing run) must be 1 or more; {usage}"
    ),
    QT_TRANSLATE_NOOP("Errors", "this onnxruntime build has no {provider}"),
    QT_TRANSLATE_NOOP("Errors", "could not create a session for {stage}: {error}"),
    QT_TRANSLATE_NOOP("Errors", "onnxruntime fell back to CPU for {stage} (provider did not start)"),
    QT_TRANSLATE_NOOP("Errors", "the openvino package is not installed (pip install openvino)"),
    QT_TRANSLATE_NOOP("Errors", "{stage} failed on {backend}: {error}"),
    QT_TRANSLATE_NOOP("Errors", "OpenVINO: the openvino package is not installed (pip install openvino)"),
    QT_TRANSLATE_NOOP("Errors", "OpenVINO has no device '{device}' here (devices: {devices})"),
    QT_TRANSLATE_NOOP("Errors", "OpenVINO: the graph has no output {error}"),
    QT_TRANSLATE_NOOP("Errors", "OpenVINO:{device} {precision}: {reason}"),
    QT_TRANSLATE_NOOP("Errors", "the CPU lacks {flags}: {precision} would be emulated (slower than fp32)"),
    QT_TRANSLATE_NOOP("Errors", "unknown"),
    QT_TRANSLATE_NOOP("Errors", "{stage}: {backend} could not start ({error}); finished on CPU"),
    QT_TRANSLATE_NOOP("Errors", "{stage}: {backend} failed ({error}); finished on CPU"),
)

_FIELD = re.compile(r"\{(\w+)\}")

Translate = Callable[[str], str]


class _Pattern(NamedTuple):
    template: str
    regex: re.Pattern
    literal: int  # characters outside the placeholders: the more, the more specific
    groups: tuple[tuple[str, str], ...]  # (placeholder, regex group) in the order they appear
    bracketed: frozenset[str]  # placeholders written "({name})": their text must balance its own brackets


def _compile(template: str) -> _Pattern:
    parts, names, groups, pos = [], [], [], 0
    for m in _FIELD.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        name = m.group(1)
        group = f"{name}__{len(names)}"  # each occurrence of a name is a group of its own
        # a nested error text may hold anything; another part never holds a ": " or "; " of its own
        parts.append(f"(?P<{group}>.+?)" if name in NESTED else f"(?P<{group}>(?:(?!: |; ).)+?)")
        names.append(name)
        groups.append((name, group))
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    bracketed = frozenset(re.findall(r"\(\{(\w+)\}\)", template))
    literal = len(_FIELD.sub("", template))
    return _Pattern(template, re.compile("".join(parts), re.DOTALL), literal, tuple(groups), bracketed)


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            return False
    return depth == 0


@lru_cache(maxsize=1)
def patterns() -> tuple[_Pattern, ...]:
    """Every template, most specific first (the most literal characters, then the fewest placeholders)."""
    compiled = [_compile(t) for t in dict.fromkeys(TEMPLATES)]
    return tuple(sorted(compiled, key=lambda p: (-p.literal, len(_FIELD.findall(p.template)))))


def template_of(message: str) -> str | None:
    """The template `message` was made from (the most specific one that matches it whole), or None."""
    return next((p.template for p, _ in _matches(message)), None)


def _matches(message: str):
    """(pattern, values) of every template that matches `message` whole, most specific first."""
    for p in patterns():
        m = p.regex.fullmatch(message)
        # "a (b); c (d)" is two messages, not one whose "(…)" holds "b); c (d"
        if m is None:
            continue
        values: dict[str, list[str]] = {}
        for name, group in p.groups:
            values.setdefault(name, []).append(m.group(group))
        if all(_balanced(text) for name in p.bracketed for text in values[name]):
            yield p, values


def _qt(template: str) -> str:
    return QCoreApplication.translate(CONTEXT, template)


def _stage(stage: str) -> str:
    return QCoreApplication.translate("Stages", stage)  # i18n.STAGE_TEXTS: frontend, bert, synthesize…


def error_text(message: str, translate: Translate | None = None) -> str:
    """`message` (a StudioError's text, or one of the core's notices) in the window's language; unchanged when
    no template matches it. `translate` maps a template to its translation (default: the installed catalog)."""
    try:
        out = _translated(str(message), translate or _qt, 0, {})
    except Exception:  # never let a message hide behind a failure to translate it
        return str(message)
    return str(message) if out is None else out


def _translated(message: str, tr: Translate, depth: int, memo: dict[tuple[str, int], str | None]) -> str | None:
    """The translation of `message`, or None when no template (nor PREFIX/join of them) matches it. `memo`
    keeps the answer for each piece already tried: a message with many ": " and "; " is split many ways."""
    if depth > MAX_DEPTH or not message:
        return None
    key = (message, depth)
    if key not in memo:
        memo[key] = _translate_once(message, tr, depth, memo)
    return memo[key]


def _translate_once(message: str, tr: Translate, depth: int, memo: dict[tuple[str, int], str | None]) -> str | None:
    for p, values in _matches(message):
        return _fill(tr(p.template), values, tr, depth, memo)
    # "PREFIX: KNOWN": a path, a field or a backend, then a known message (a PREFIX is no list: no "; ").
    for i in _positions(message, ": "):
        if "; " in message[:i]:
            break
        rest = _translated(message[i + 2 :], tr, depth + 1, memo)
        if rest is not None:
            return message[: i + 2] + rest
    # "KNOWN; KNOWN": several known messages joined.
    for i in _positions(message, "; "):
        left = _translated(message[:i], tr, depth + 1, memo)
        if left is not None:
            right = _translated(message[i + 2 :], tr, depth, memo)  # a list is no deeper for being long
            if right is not None:
                return f"{left}; {right}"
    return None


def _fill(translated: str, values: dict[str, list[str]], tr: Translate, depth: int, memo: dict) -> str:
    seen: dict[str, int] = {}

    def value(m: re.Match) -> str:
        name = m.group(1)
        if name not in values:
            return m.group(0)
        n = seen[name] = seen.get(name, -1) + 1  # a name used twice: its first text, then its second
        text = values[name][min(n, len(values[name]) - 1)]
        if name in NESTED:
            return _translated(text, tr, depth + 1, memo) or text
        if name == "stage":
            return _stage(text)
        return text

    return _FIELD.sub(value, translated)  # one pass: a value's own braces are never read as placeholders


def _positions(text: str, separator: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(separator), text)]


__all__ = ["CONTEXT", "NESTED", "TEMPLATES", "error_text", "patterns", "template_of"]
