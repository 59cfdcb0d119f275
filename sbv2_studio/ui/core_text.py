"""The core's texts in the window's language: its error messages, its progress lines, the streaming schedule's
reasons for each chunk, and the labels it builds for voices and backend configurations.

The core (sbv2_studio outside ui/) is Qt-free and speaks English: the CLI, the HTTP API and the logs read its
texts as they are. The window shows the same texts translated: every text template of the core is listed here
with QT_TRANSLATE_NOOP in a context of its own kind ("Errors", "Progress", "Chunks", "Labels", "About"), so that
pyside6-lupdate puts it into i18n/sbv2_studio_ja.ts, `{name}` standing for each variable part. `core_text(message)`
finds the template a rendered text was made from, translates the template and puts the variable parts back
(paths, numbers, names and the person's text stay as they are; a part that is itself a core text, such as
`{error}`, `{reason}` or `{detail}`, is translated the same way). A text no template matches is shown as it is:
never an exception, never a lost detail. `error_text(message)` does the same with the error messages only.

Two shapes need no template of their own:
- "PREFIX: KNOWN", a path, a field or a backend naming the subject of a known message (ModelError is always
  "path: problem", DictionaryError "field: problem"): the prefix stays, the rest is translated;
- "KNOWN; KNOWN", several known texts joined (the reasons a comparison skipped a configuration, the reasons of a
  streamed chunk).

tests/ui/test_core_text.py reads the core's sources and fails while one of its error messages has no template
here, and runs the real progress lines, chunk reasons and labels through the Japanese catalog.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Errors"  # the error messages' context (error_text's)
# placeholders holding another core text (an error, a step, a configuration's label…), translated in turn
NESTED = frozenset({"error", "problem", "reason", "usage", "step", "config", "detail"})
MAX_DEPTH = 6

# The error messages (StudioError and its subclasses, the core's notices and fallback lines), grouped by where
# the core says them. A template's `{name}`s are the variable parts, in any order; a name may be used twice (the
# translation gets its texts in the order of the English). "PREFIX: " parts that merely name the subject (a path,
# a field, a backend) are left out: the PREFIX rule above covers them.
ERRORS = (
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
    QT_TRANSLATE_NOOP(
        "Errors",
        "bert_variant={variant} and bert_precision={precision} disagree: {backend} runs the "
        "{needed} graph (leave bert_variant out)",
    ),
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
    QT_TRANSLATE_NOOP("Errors", "not an ONNX model OpenVINO can read"),
    # graphs/bert_variants.py, graphs/split.py: derived graphs are written into the cache folder
    QT_TRANSLATE_NOOP("Errors", "the cache folder cannot be written ({error})"),
    # offload.py
    QT_TRANSLATE_NOOP("Errors", "the process converting it stopped unexpectedly (out of memory?); nothing was changed"),
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
    QT_TRANSLATE_NOOP("Errors", "the flow reads the synthesizer's inputs directly: the latent graph stays whole"),
    QT_TRANSLATE_NOOP(
        "Errors", "finding the fastest backends needs an SBV2 voice loaded (the built-in voice runs on OpenJTalk alone)"
    ),  # fmt: skip
    QT_TRANSLATE_NOOP("Errors", "{stage}: {backend} could not start ({error}); finished on CPU"),
    QT_TRANSLATE_NOOP("Errors", "{stage}: {backend} failed ({error}); finished on CPU"),
)


# The progress lines the window shows in its status bar and dialogs while a job runs.
PROGRESS = (
    # app/studio.py
    QT_TRANSLATE_NOOP("Progress", "Loading {name}…"),
    QT_TRANSLATE_NOOP("Progress", "Warming up {done}/{total}"),
    QT_TRANSLATE_NOOP("Progress", "Warming up {done}/{total} ({ms} ms)"),
    QT_TRANSLATE_NOOP("Progress", "Getting streaming ready (the first time splits the voice's graph)…"),
    QT_TRANSLATE_NOOP("Progress", "Warming up streaming…"),
    QT_TRANSLATE_NOOP("Progress", "Exporting {count} lines to {folder}…"),
    QT_TRANSLATE_NOOP("Progress", "Converting {name}: {step}…"),
    QT_TRANSLATE_NOOP("Progress", "Measuring the fastest backends within the fidelity limits…"),
    # models/safetensors_voice.py: the steps of converting a .safetensors voice
    QT_TRANSLATE_NOOP("Progress", "reading {file} and {other}"),
    QT_TRANSLATE_NOOP("Progress", "reading {file}"),
    QT_TRANSLATE_NOOP("Progress", "building the synthesizer graph"),
    QT_TRANSLATE_NOOP("Progress", "writing the ONNX graph"),
    QT_TRANSLATE_NOOP("Progress", "checking the converted voice"),
    QT_TRANSLATE_NOOP("Progress", "done"),
    # app/export.py format_progress: "[done/total] {detail}  elapsed {clock}  ETA {clock}"
    QT_TRANSLATE_NOOP("Progress", "[{done}/{total}] {detail}  elapsed {elapsed}  ETA {eta}"),
    QT_TRANSLATE_NOOP("Progress", "[{done}/{total}] {detail}  elapsed {elapsed}"),
    QT_TRANSLATE_NOOP("Progress", "[{done}] {detail}  elapsed {elapsed}"),
    QT_TRANSLATE_NOOP("Progress", "{file}  {audio} s audio in {seconds} s (RTF {rtf})"),
    QT_TRANSLATE_NOOP("Progress", "{file}  {audio} s audio in {seconds} s"),
    QT_TRANSLATE_NOOP("Progress", "{file}  {audio} s audio (already done)"),
    QT_TRANSLATE_NOOP("Progress", "line {number} skipped: {error}"),
    # app/compare.py: "{config}: …" for each configuration compared
    QT_TRANSLATE_NOOP("Progress", "{config}: loading…"),
    QT_TRANSLATE_NOOP("Progress", "{config}: skipped"),
    QT_TRANSLATE_NOOP("Progress", "{config}: ready"),
    QT_TRANSLATE_NOOP("Progress", "{config}: warm-up {done}/{total}"),
    QT_TRANSLATE_NOOP("Progress", "{config}: run {done}/{total}"),
)

# Why a streamed chunk has its size, and why playback waited or started with it (ChunkTiming.reason: the chunk
# timeline's tooltip). engine/streaming.py's ChunkScheduler says the size, engine/synthesis.py's PlaybackSchedule
# adds the start decision after "; ".
CHUNKS = (
    QT_TRANSLATE_NOOP("Chunks", "first chunk: small, for time to first audio"),
    QT_TRANSLATE_NOOP("Chunks", "start buffer in one chunk: playback can start with it"),
    QT_TRANSLATE_NOOP("Chunks", "×{growth} the last one"),
    QT_TRANSLATE_NOOP("Chunks", "fixed schedule"),
    QT_TRANSLATE_NOOP("Chunks", "×{growth} the last one (start buffer filling: larger chunks cost less context)"),
    QT_TRANSLATE_NOOP("Chunks", "sized to the headroom ({ms} ms ahead)"),
    QT_TRANSLATE_NOOP("Chunks", "×{growth} the last one (headroom {ms} ms allows it)"),
    QT_TRANSLATE_NOOP("Chunks", "smallest: only {ms} ms ahead"),
    QT_TRANSLATE_NOOP("Chunks", "×{growth} the last one to catch up ({ms} ms ahead, slower than real time)"),
    QT_TRANSLATE_NOOP("Chunks", "with the segment's short tail"),
    QT_TRANSLATE_NOOP("Chunks", "pause"),
    QT_TRANSLATE_NOOP("Chunks", "start buffer: a pause is not worth starting on"),
    QT_TRANSLATE_NOOP(
        "Chunks",
        "playback starts: {ms} ms buffered, the rest predicted to keep all ahead at ×{factor} the measured speed",
    ),
    QT_TRANSLATE_NOOP(
        "Chunks",
        "playback starts: {ms} ms buffered, the rest predicted to keep ≥ {slack} ms ahead at ×{factor} the measured "
        "speed",
    ),
    QT_TRANSLATE_NOOP("Chunks", "start buffer: waiting ({ms} ms buffered would run {short} ms short at ×{factor})"),
)

# Labels the core builds: voices (models/library.py ModelEntry.label, engine/builtin.py), the configurations a
# comparison runs (app/compare.py CompareConfig.label) and where a stage ran (runtime/backends.py). A voice's
# own name, a version and a backend's name (CPU, CUDA:0…) stay as they are.
LABELS = (
    QT_TRANSLATE_NOOP("Labels", "Built-in: OpenJTalk mei (not SBV2)"),
    QT_TRANSLATE_NOOP("Labels", "{name} ({kind}) — broken: {error}"),
    QT_TRANSLATE_NOOP("Labels", "All CPU"),
    QT_TRANSLATE_NOOP("Labels", "All {backend}"),
    QT_TRANSLATE_NOOP("Labels", "BERT {bert} + synth {synth}"),
    QT_TRANSLATE_NOOP("Labels", "{backend} (emulated on CPU)"),
)

# app/about.py: the About box's paragraphs (the version line has no words to translate).
ABOUT = (
    QT_TRANSLATE_NOOP("About", "Japanese speech synthesis with Style-Bert-VITS2 voices, on onnxruntime."),
    QT_TRANSLATE_NOOP(
        "About",
        'Built-in voice: HTS Voice "Mei", released by the MMDAgent Project Team (http://www.mmdagent.jp/), '
        "Copyright (c) 2009-2013 Nagoya Institute of Technology, Department of Computer Science; licensed under "
        "Creative Commons Attribution 3.0 (https://creativecommons.org/licenses/by/3.0/). Shipped with pyopenjtalk-plus.",
    ),
)

TEMPLATES = ERRORS  # the name the error catalog had first
CATALOGS: dict[str, tuple[str, ...]] = {
    "Errors": ERRORS,
    "Progress": PROGRESS,
    "Chunks": CHUNKS,
    "Labels": LABELS,
    "About": ABOUT,
}
ALL = tuple(CATALOGS)

_FIELD = re.compile(r"\{(\w+)\}")

Translate = Callable[[str], str]  # a template → its translation (tests: a stand-in for the catalog)
_Tr = Callable[[str, str], str]  # (context, template) → its translation


class _Pattern(NamedTuple):
    context: str
    template: str
    regex: re.Pattern
    literal: int  # characters outside the placeholders: the more, the more specific
    groups: tuple[tuple[str, str], ...]  # (placeholder, regex group) in the order they appear
    bracketed: frozenset[str]  # placeholders written "({name})": their text must balance its own brackets


def _compile(context: str, template: str) -> _Pattern:
    parts, names, groups, pos = [], [], [], 0
    for m in _FIELD.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        name = m.group(1)
        group = f"{name}__{len(names)}"  # each occurrence of a name is a group of its own
        # a nested text may hold anything; another part never holds a ": " or "; " of its own
        parts.append(f"(?P<{group}>.+?)" if name in NESTED else f"(?P<{group}>(?:(?!: |; ).)+?)")
        names.append(name)
        groups.append((name, group))
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    bracketed = frozenset(re.findall(r"\(\{(\w+)\}\)", template))
    literal = len(_FIELD.sub("", template))
    return _Pattern(context, template, re.compile("".join(parts), re.DOTALL), literal, tuple(groups), bracketed)


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            return False
    return depth == 0


@lru_cache(maxsize=16)
def patterns(contexts: tuple[str, ...] = ALL) -> tuple[_Pattern, ...]:
    """Every template of `contexts`, most specific first (the most literal characters, then the fewest
    placeholders); a template listed in two contexts is the first one's."""
    unique = {t: c for c in reversed(contexts) for t in CATALOGS[c]}  # the first context wins
    compiled = [_compile(c, t) for t, c in unique.items()]
    return tuple(sorted(compiled, key=lambda p: (-p.literal, len(_FIELD.findall(p.template)))))


def template_of(message: str, contexts: tuple[str, ...] = ALL) -> str | None:
    """The template `message` was made from (the most specific one that matches it whole), or None."""
    return next((p.template for p, _ in _matches(message, contexts)), None)


def _matches(message: str, contexts: tuple[str, ...]):
    """(pattern, values) of every template that matches `message` whole, most specific first."""
    for p in patterns(contexts):
        m = p.regex.fullmatch(message)
        if m is None:
            continue
        values: dict[str, list[str]] = {}
        for name, group in p.groups:
            values.setdefault(name, []).append(m.group(group))
        # "a (b); c (d)" is two messages, not one whose "(…)" holds "b); c (d"
        if all(_balanced(text) for name in p.bracketed for text in values[name]):
            yield p, values


def _qt(context: str, template: str) -> str:
    return QCoreApplication.translate(context, template)


def _stage(stage: str) -> str:
    return QCoreApplication.translate("Stages", stage)  # i18n.STAGE_TEXTS: frontend, bert, synthesize…


def core_text(message: str, contexts: tuple[str, ...] = ALL, translate: Translate | None = None) -> str:
    """`message` (one of the core's texts: an error, a progress line, a chunk's reason, a label) in the window's
    language; unchanged when no template of `contexts` matches it. `translate` maps a template to its
    translation (default: the installed catalog, in the template's context)."""
    tr: _Tr = _qt if translate is None else (lambda _context, template: translate(template))
    try:
        out = _Translator(tuple(contexts), tr).text(str(message), 0)
    except Exception:  # never let a message hide behind a failure to translate it
        return str(message)
    return str(message) if out is None else out


def error_text(message: str, translate: Translate | None = None) -> str:
    """`message` (a StudioError's text, or one of the core's notices) in the window's language; unchanged when
    no error template matches it."""
    return core_text(message, (CONTEXT,), translate)


class _Translator:
    """One message's translation: the contexts it is read in, the catalog, and the answer for each piece already
    tried (a message with many ": " and "; " is split many ways)."""

    def __init__(self, contexts: tuple[str, ...], tr: _Tr):
        self.contexts = contexts
        self.tr = tr
        self.memo: dict[tuple[str, int], str | None] = {}

    def text(self, message: str, depth: int) -> str | None:
        """The translation of `message`, or None when no template (nor PREFIX/join of them) matches it."""
        if depth > MAX_DEPTH or not message:
            return None
        key = (message, depth)
        if key not in self.memo:
            self.memo[key] = self._once(message, depth)
        return self.memo[key]

    def _once(self, message: str, depth: int) -> str | None:
        for p, values in _matches(message, self.contexts):
            return self._fill(self.tr(p.context, p.template), values, depth)
        # "PREFIX: KNOWN": a path, a field or a backend, then a known message (a PREFIX is no list: no "; ").
        for i in _positions(message, ": "):
            if "; " in message[:i]:
                break
            rest = self.text(message[i + 2 :], depth + 1)
            if rest is not None:
                return message[: i + 2] + rest
        # "KNOWN; KNOWN": several known messages joined.
        for i in _positions(message, "; "):
            left = self.text(message[:i], depth + 1)
            if left is not None:
                right = self.text(message[i + 2 :], depth)  # a list is no deeper for being long
                if right is not None:
                    return f"{left}; {right}"
        return None

    def _fill(self, translated: str, values: dict[str, list[str]], depth: int) -> str:
        seen: dict[str, int] = {}

        def value(m: re.Match) -> str:
            name = m.group(1)
            if name not in values:
                return m.group(0)
            n = seen[name] = seen.get(name, -1) + 1  # a name used twice: its first text, then its second
            text = values[name][min(n, len(values[name]) - 1)]
            if name in NESTED:
                return self.text(text, depth + 1) or text
            if name == "stage":
                return _stage(text)
            return text

        return _FIELD.sub(value, translated)  # one pass: a value's own braces are never read as placeholders


def _positions(text: str, separator: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(separator), text)]


__all__ = [
    "ALL",
    "CATALOGS",
    "CONTEXT",
    "NESTED",
    "TEMPLATES",
    "core_text",
    "error_text",
    "patterns",
    "template_of",
]
