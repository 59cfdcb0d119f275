<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>About</name>
    <message>
        <location filename="../core_text.py" line="+424"/>
        <source>Japanese speech synthesis with Style-Bert-VITS2 voices, on onnxruntime.</source>
        <translation>Style-Bert-VITS2 の音声による日本語音声合成（onnxruntime で動作）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Built-in voice: HTS Voice &quot;Mei&quot;, released by the MMDAgent Project Team (http://www.mmdagent.jp/), Copyright (c) 2009-2013 Nagoya Institute of Technology, Department of Computer Science; licensed under Creative Commons Attribution 3.0 (https://creativecommons.org/licenses/by/3.0/). Shipped with pyopenjtalk-plus.</source>
        <translation>内蔵音声: HTS Voice &quot;Mei&quot;（MMDAgent Project Team 公開、http://www.mmdagent.jp/）。Copyright (c) 2009-2013 Nagoya Institute of Technology, Department of Computer Science。クリエイティブ・コモンズ 表示 3.0（https://creativecommons.org/licenses/by/3.0/）の下で提供されています。pyopenjtalk-plus に同梱。</translation>
    </message>
</context>
<context>
    <name>AccentEditor</name>
    <message>
        <location filename="../accent_editor.py" line="+138"/>
        <source>Accents of line</source>
        <translation>アクセント（行）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reset line</source>
        <translation>行を元に戻す</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forget this line&apos;s edits: read it as the text says</source>
        <translation>この行の編集を取り消し、テキストどおりに読みます</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>This line cannot be read: {0}</source>
        <translation>この行は読めません: {0}</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>edited</source>
        <translation>編集済み</translation>
    </message>
</context>
<context>
    <name>BackendsPanel</name>
    <message>
        <location filename="../backends_panel.py" line="+13"/>
        <source>Synthesizer</source>
        <translation>音声合成器</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Backends</source>
        <translation>バックエンド</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+135"/>
        <source>ran on: —</source>
        <translation>実行先: —</translation>
    </message>
    <message>
        <location line="-123"/>
        <source>Retry GPU</source>
        <translation>GPU を再試行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare backends…</source>
        <translation>バックエンドを比較…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fastest for this machine</source>
        <translation>このマシンで最速に</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Measure every engine and precision this machine runs natively on the loaded voice, and pick the fastest whose audio stays within the fidelity limits of FP32</source>
        <translation>読み込んだ音声で、このマシンがネイティブに実行できるエンジンと精度をすべて測定し、FP32 との忠実度の基準内で最も速いものを選びます</translation>
    </message>
    <message>
        <location line="+28"/>
        <source> (emulated)</source>
        <translation>（エミュレート）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reduced precision: faster, close to FP32 (Compare backends measures how close)</source>
        <translation>低い精度: 速く、FP32 に近い結果になります（どれだけ近いかは「バックエンドを比較」で測れます）</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Not used by {voice}</source>
        <translation>{voice} では使われません</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>the voice</source>
        <translation>この音声</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a GPU backend for a stage first</source>
        <translation>先にどれかの段階で GPU バックエンドを選んでください</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This machine: not measured yet</source>
        <translation>このマシン: まだ測定していません</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This machine: BERT {bert}, synthesizer {synth}</source>
        <translation>このマシン: BERT {bert}、合成器 {synth}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>ran on: CPU (built-in voice)</source>
        <translation>実行先: CPU（内蔵音声）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>ran on: {where}</source>
        <translation>実行先: {where}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>  ⚠ fell back</source>
        <translation>  ⚠ フォールバック</translation>
    </message>
</context>
<context>
    <name>Chunks</name>
    <message>
        <location filename="../core_text.py" line="-39"/>
        <source>first chunk: small, for time to first audio</source>
        <translation>最初のチャンク: 最初の音声を早く出すため小さめ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>start buffer in one chunk: playback can start with it</source>
        <translation>開始バッファを1チャンクで: このチャンクで再生を始められる</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>×{growth} the last one</source>
        <translation>直前のチャンクの ×{growth}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fixed schedule</source>
        <translation>固定スケジュール</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>×{growth} the last one (start buffer filling: larger chunks cost less context)</source>
        <translation>直前のチャンクの ×{growth}（開始バッファを充填中: 大きいチャンクほど前後の文脈の無駄が少ない）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sized to the headroom ({ms} ms ahead)</source>
        <translation>余裕に合わせた大きさ（{ms} ms 先行）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>×{growth} the last one (headroom {ms} ms allows it)</source>
        <translation>直前のチャンクの ×{growth}（余裕 {ms} ms で間に合う）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>smallest: only {ms} ms ahead</source>
        <translation>最小: {ms} ms しか先行していない</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>×{growth} the last one to catch up ({ms} ms ahead, slower than real time)</source>
        <translation>追いつくため直前のチャンクの ×{growth}（{ms} ms 先行、実時間より遅い）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>with the segment&apos;s short tail</source>
        <translation>区間の短い残りも含める</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pause</source>
        <translation>ポーズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>start buffer: a pause is not worth starting on</source>
        <translation>開始バッファ: ポーズだけで再生を始める意味はない</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>playback starts: {ms} ms buffered, the rest predicted to keep all ahead at ×{factor} the measured speed</source>
        <translation>再生開始: {ms} ms をバッファ済み。計測した速度の ×{factor} で、残りはすべて先行し続ける見込み</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>playback starts: {ms} ms buffered, the rest predicted to keep ≥ {slack} ms ahead at ×{factor} the measured speed</source>
        <translation>再生開始: {ms} ms をバッファ済み。計測した速度の ×{factor} で、残りは {slack} ms 以上先行し続ける見込み</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>start buffer: waiting ({ms} ms buffered would run {short} ms short at ×{factor})</source>
        <translation>開始バッファ: 待機中（{ms} ms のバッファでは ×{factor} で {short} ms 足りない）</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <location filename="../compare.py" line="+37"/>
        <source>Configuration</source>
        <translation>構成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>total ms</source>
        <translation>合計 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vs all CPU</source>
        <translation>全 CPU 比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTF</source>
        <translation>RTF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>runs</source>
        <translation>回数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ran on</source>
        <translation>実行先</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Compare backends</source>
        <translation>バックエンドの比較</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Runs per configuration</source>
        <translation>構成ごとの計測回数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warm-up runs</source>
        <translation>ウォームアップ回数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Not run yet</source>
        <translation>まだ実行していません</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Median ms per stage (whiskers: min–max)</source>
        <translation>段階ごとの中央値 ms（ひげ: 最小〜最大）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Copy table</source>
        <translation>表をコピー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export CSV…</source>
        <translation>CSV に書き出し…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>each backend configuration checked below</source>
        <translation>下でチェックした各バックエンド構成</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the built-in voice (OpenJTalk runs on the CPU only; load an SBV2 voice to compare backends)</source>
        <translation>内蔵音声（OpenJTalk は CPU でのみ動きます。バックエンドを比較するには SBV2 音声を読み込んでください）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Runs the text in the editor (“{preview}”, {chars} characters) with &lt;b&gt;{voice}&lt;/b&gt; through {what}: the warm-up runs first, then the measured runs. GPU configurations whose device cannot start are listed as skipped.</source>
        <translation>エディタのテキスト（「{preview}」、{chars} 文字）を &lt;b&gt;{voice}&lt;/b&gt; で、{what}で合成します。まずウォームアップ、次に計測を行います。デバイスを起動できない GPU 構成はスキップとして表示されます。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Check at least one configuration</source>
        <translation>構成を 1 つ以上チェックしてください</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Starting…</source>
        <translation>開始しています…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelled</source>
        <translation>キャンセルしました</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Failed: {message}</source>
        <translation>失敗しました: {message}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Done: {count} configuration × {runs} runs after {warmup} warm-up</source>
        <translation>完了: {count} 構成 × {runs} 回（ウォームアップ {warmup} 回の後）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Done: {count} configurations × {runs} runs after {warmup} warm-up</source>
        <translation>完了: {count} 構成 × {runs} 回（ウォームアップ {warmup} 回の後）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; {count} skipped</source>
        <translation>、{count} 件スキップ</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{config}  [ran on: {where}]</source>
        <translation>{config}  [実行先: {where}]</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>skipped: {reason}</source>
        <translation>スキップ: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> ({notes})</source>
        <translation>（{notes}）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>all stages</source>
        <translation>全段階</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{stage} ms</source>
        <translation>{stage} ms</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Table copied (tab-separated: paste into a spreadsheet)</source>
        <translation>表をコピーしました（タブ区切り: 表計算ソフトに貼り付けられます）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Wrote {path}</source>
        <translation>{path} に書き出しました</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export comparison</source>
        <translation>比較結果の書き出し</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
</context>
<context>
    <name>DictionaryDialog</name>
    <message>
        <location filename="../dictionary_dialog.py" line="+44"/>
        <source>User dictionary</source>
        <translation>ユーザー辞書</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+31"/>
        <source>Surface</source>
        <translation>表記</translation>
    </message>
    <message>
        <location line="-31"/>
        <location line="+32"/>
        <source>Pronunciation</source>
        <translation>読み</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Accent</source>
        <translation>アクセント</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+34"/>
        <source>Word type</source>
        <translation>品詞</translation>
    </message>
    <message>
        <location line="-34"/>
        <location line="+35"/>
        <source>Priority</source>
        <translation>優先度</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>The word as it is written</source>
        <translation>書かれたとおりの単語</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How it is read, in katakana</source>
        <translation>読み方（カタカナ）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The mora after which the pitch falls (0: flat, no fall)</source>
        <translation>音が下がる直前のモーラ（0: 平板、下がらない）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Proper noun</source>
        <translation>固有名詞</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Common noun</source>
        <translation>普通名詞</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Verb</source>
        <translation>動詞</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adjective</source>
        <translation>形容詞</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Suffix</source>
        <translation>接尾辞</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Higher: this word wins over the system dictionary&apos;s more often (0..10)</source>
        <translation>高いほどシステム辞書より優先されます（0〜10）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accent type</source>
        <translation>アクセント型</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add</source>
        <translation>追加</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save changes</source>
        <translation>変更を保存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import…</source>
        <translation>インポート…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add the words of a VOICEVOX / AivisSpeech user dictionary (JSON)</source>
        <translation>VOICEVOX / AivisSpeech のユーザー辞書（JSON）の単語を追加します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export…</source>
        <translation>エクスポート…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the words as a VOICEVOX user dictionary (JSON)</source>
        <translation>単語を VOICEVOX のユーザー辞書（JSON）として保存します</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Not saved: {0}</source>
        <translation>保存されませんでした: {0}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Added {0}: it is read so from now on.</source>
        <translation>{0} を追加しました。これからはこの読みで読み上げます。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved.</source>
        <translation>保存しました。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Deleted.</source>
        <translation>削除しました。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Imported {0} word(s) from {1}.</source>
        <translation>{1} から {0} 語をインポートしました。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not exported: {0}</source>
        <translation>エクスポートされませんでした: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrote {0} word(s) to {1}.</source>
        <translation>{0} 語を {1} に書き出しました。</translation>
    </message>
</context>
<context>
    <name>DownloadDialog</name>
    <message>
        <location filename="../download_dialog.py" line="+32"/>
        <source>FP32 model.onnx (1.3 GB, exact)</source>
        <translation>FP32 model.onnx（1.3 GB、元の精度）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FP16 model_fp16.onnx (650 MB)</source>
        <translation>FP16 model_fp16.onnx（650 MB）</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Download from Hugging Face</source>
        <translation>Hugging Face からダウンロード</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The Japanese BERT ({repo}), needed by every SBV2 voice</source>
        <translation>日本語 BERT（{repo}）: すべての SBV2 音声に必要です</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An SBV2 voice (ONNX folder or .aivmx) from a repository</source>
        <translation>リポジトリの SBV2 音声（ONNX フォルダまたは .aivmx）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>owner/name, e.g. someone/my-sbv2-voice-onnx</source>
        <translation>owner/name（例: someone/my-sbv2-voice-onnx）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>optional: folder or .aivmx path inside the repository</source>
        <translation>任意: リポジトリ内のフォルダまたは .aivmx のパス</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>BERT graph</source>
        <translation>BERT モデル</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repository</source>
        <translation>リポジトリ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subfolder</source>
        <translation>サブフォルダ</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>BERT is installed.</source>
        <translation>BERT はインストール済みです。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SBV2 voices need the BERT model first.</source>
        <translation>SBV2 音声を使うには、先に BERT モデルが必要です。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Download</source>
        <translation>ダウンロード</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel download</source>
        <translation>ダウンロードを中止</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Type a repository id of the form owner/name.</source>
        <translation>リポジトリ ID を owner/name の形で入力してください。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Connecting…</source>
        <translation>接続しています…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancelling…</source>
        <translation>中止しています…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name}: {done} of {total}</source>
        <translation>{name}: {done} / {total}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Installed. SBV2 voices can be loaded now.</source>
        <translation>インストールしました。SBV2 音声を読み込めます。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Installed. Pick it in Model.</source>
        <translation>インストールしました。「モデル」で選んでください。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Download failed: {message}</source>
        <translation>ダウンロードに失敗しました: {message}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancelled. Downloading again resumes where it stopped.</source>
        <translation>中止しました。もう一度ダウンロードすると、止まったところから再開します。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../core_text.py" line="-364"/>
        <source>unexpected {type}: {error}</source>
        <translation>予期しないエラー {type}: {error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot write the audio there ({error})</source>
        <translation>ここには音声を書き込めません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot write the exported files there ({error})</source>
        <translation>ここにはエクスポートしたファイルを書き込めません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no line of the text could be spoken: {error}</source>
        <translation>テキストのどの行も読み上げられませんでした: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no line of the text could be spoken</source>
        <translation>テキストのどの行も読み上げられませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot save as &apos;{suffix}&apos; (use .wav or .flac)</source>
        <translation>&apos;{suffix}&apos; としては保存できません（.wav か .flac を使ってください）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no voice is loaded yet</source>
        <translation>音声がまだ読み込まれていません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read it as UTF-8 text ({error})</source>
        <translation>UTF-8 のテキストとして読めません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{error}; the speech is still made, and you can save it</source>
        <translation>{error}。音声は合成され、保存もできます</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only a finished synthesis can be kept as a take</source>
        <translation>テイクとして残せるのは完了した音声合成だけです</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>there is no take {take} (it may have been dropped: the history keeps {count})</source>
        <translation>テイク {take} はありません（履歴は {count} 件までなので、消えたのかもしれません）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{what}={value}: {error} (backends: cpu, cuda[:N], dml[:N], openvino[:CPU|GPU|NPU] …)</source>
        <translation>{what}={value}: {error}（バックエンド: cpu, cuda[:N], dml[:N], openvino[:CPU|GPU|NPU] …）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bert_variant={variant} and bert_precision={precision} disagree: {backend} runs the {needed} graph (leave bert_variant out)</source>
        <translation>bert_variant={variant} と bert_precision={precision} が食い違っています: {backend} は {needed} のグラフで動きます（bert_variant を指定しないでください）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>SBV2 voices need the DeBERTa BERT model, and none was found: download it from the Models menu (or `sbv2-studio download-bert`), or put the ONNX folder at {folder}</source>
        <translation>SBV2 音声には DeBERTa の BERT モデルが必要ですが、見つかりません。モデルメニューからダウンロードするか（または `sbv2-studio download-bert`）、ONNX フォルダを {folder} に置いてください</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{stage} asked for {backend} but runs on {device}</source>
        <translation>{stage} は {backend} を指定しましたが、{device} で動いています</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no audio device: the output stream could not be opened ({error})</source>
        <translation>音声出力デバイスがありません: 出力ストリームを開けませんでした（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no audio device: the PortAudio library could not be loaded ({error})</source>
        <translation>音声出力デバイスがありません: PortAudio ライブラリを読み込めませんでした（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no audio device: the audio system could not list devices ({error})</source>
        <translation>音声出力デバイスがありません: オーディオシステムがデバイスを一覧できませんでした（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no audio device: no output device was found</source>
        <translation>音声出力デバイスがありません: 出力デバイスが見つかりませんでした</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not a BERT graph: inputs are {inputs}, expected input_ids</source>
        <translation>BERT のグラフではありません: 入力が {inputs} です（input_ids のはずです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a BERT graph: input &apos;{name}&apos; is {type}, expected int64</source>
        <translation>BERT のグラフではありません: 入力 &apos;{name}&apos; が {type} です（int64 のはずです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BERT output has shape {shape}, expected [{tokens}, {dim}]</source>
        <translation>BERT の出力の形が {shape} です（[{tokens}, {dim}] のはずです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the BERT folder has no tokenizer vocabulary (vocab.txt)</source>
        <translation>BERT フォルダにトークナイザーの語彙（vocab.txt）がありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>subword tokenizer &apos;{name}&apos; is not the character tokenizer that SBV2&apos;s Japanese DeBERTa uses</source>
        <translation>サブワードトークナイザー &apos;{name}&apos; は、SBV2 の日本語 DeBERTa が使う文字単位のトークナイザーではありません</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>word tokenizer &apos;{name}&apos; is not supported (basic only)</source>
        <translation>単語トークナイザー &apos;{name}&apos; には対応していません（basic のみ）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vocabulary lacks special tokens {tokens}</source>
        <translation>語彙に特殊トークン {tokens} がありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not UTF-8 text ({error})</source>
        <translation>UTF-8 のテキストではありません（{error}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>seed={seed} must be a whole number in 0..{max}</source>
        <translation>seed={seed} は 0..{max} の整数でなければなりません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}={value} is not a number</source>
        <translation>{name}={value} は数値ではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}={value} is outside {lo}..{hi}</source>
        <translation>{name}={value} は範囲 {lo}..{hi} の外です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>speaker={speaker} is neither a speaker number nor a name</source>
        <translation>speaker={speaker} は話者の番号でも名前でもありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}={value} is not text</source>
        <translation>{name}={value} はテキストではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>split_lines={value} is not true or false</source>
        <translation>split_lines={value} は true でも false でもありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>speaker &apos;{speaker}&apos; is not in {voice} (speakers: {speakers})</source>
        <translation>話者 &apos;{speaker}&apos; は {voice} にいません（話者: {speakers}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>speaker id {speaker} is out of range for {voice} (0..{max})</source>
        <translation>話者 ID {speaker} は {voice} の範囲外です（0..{max}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>style &apos;{style}&apos; is not in {voice} (styles: {styles})</source>
        <translation>スタイル &apos;{style}&apos; は {voice} にありません（スタイル: {styles}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the text is empty: type some Japanese to speak</source>
        <translation>テキストが空です: 読み上げる日本語を入力してください</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the text has {count} characters; at most {max} fit in one request</source>
        <translation>テキストが {count} 文字あります。1 回のリクエストに入るのは {max} 文字までです</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{voice} speaks text only, not an edited query: choose an SBV2 voice</source>
        <translation>{voice} はテキストしか読めず、編集したクエリは読めません。SBV2 音声を選んでください</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nothing in the text is readable: {text}</source>
        <translation>テキストに読める部分がありません: {text}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nothing in the text can be read aloud: {text}</source>
        <translation>テキストに読み上げられる部分がありません: {text}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the text has nothing readable after normalization: {text}</source>
        <translation>正規化すると読める文字が残りません: {text}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the tokenizer split {text} into {tokens} tokens but the text front end aligned {chars} characters; this text cannot be aligned</source>
        <translation>トークナイザーは {text} を {tokens} トークンに分けましたが、テキストのフロントエンドは {chars} 文字を対応づけました。このテキストは対応づけられません</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>cannot read {text}: the characters of {bert_text} cannot be matched to phonemes</source>
        <translation>{text} を読めません: {bert_text} の文字を音素に対応づけられません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{reading} is not a katakana reading</source>
        <translation>{reading} はカタカナの読みではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the reading {reading} cannot start with ー</source>
        <translation>読み {reading} を ー で始めることはできません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: it gives phonemes the model does not know ({phonemes})</source>
        <translation>{text} を読めません: モデルの知らない音素になります（{phonemes}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenJTalk cannot analyze {text}…: {error}</source>
        <translation>OpenJTalk が {text}… を解析できません: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: OpenJTalk gave it an empty reading</source>
        <translation>{text} を読めません: OpenJTalk の読みが空です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: OpenJTalk read it as {reading}</source>
        <translation>{text} を読めません: OpenJTalk は {reading} と読みました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: OpenJTalk&apos;s reading {reading} is not katakana</source>
        <translation>{text} を読めません: OpenJTalk の読み {reading} がカタカナではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: no phonemes for {mora} in the reading {reading}</source>
        <translation>{text} を読めません: 読み {reading} の {mora} に当たる音素がありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: a long vowel mark follows a word with no sound</source>
        <translation>{text} を読めません: 音のない語の後に長音記号があります</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: OpenJTalk put a silence inside the sentence</source>
        <translation>{text} を読めません: OpenJTalk が文の途中に無音を入れました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: OpenJTalk&apos;s labels do not end in silence</source>
        <translation>{text} を読めません: OpenJTalk のラベルが無音で終わっていません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: OpenJTalk gave unexpected accent levels {levels}</source>
        <translation>{text} を読めません: OpenJTalk が想定外のアクセントの高さ {levels} を返しました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: OpenJTalk&apos;s reading and its accent labels disagree (reading {reading}, labels {labels})</source>
        <translation>{text} を読めません: OpenJTalk の読みとアクセントのラベルが食い違っています（読み {reading}、ラベル {labels}）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cannot read {text}: the BERT sees no characters in {word}</source>
        <translation>{text} を読めません: BERT には {word} の文字が見えません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the phoneme {phoneme} is not in the model&apos;s symbol table</source>
        <translation>音素 {phoneme} はモデルの記号表にありません</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>accent {accent} is outside 0..{moras} (the phrase has {moras} moras)</source>
        <translation>アクセント {accent} は 0..{moras} の範囲外です（このアクセント句は {moras} モーラです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read {text}: the mora {mora} has two pitches {pitches}</source>
        <translation>{text} を読めません: モーラ {mora} に二つの高さ {pitches} があります</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accent phrase {phrase} does not exist (the line has {count})</source>
        <translation>アクセント句 {phrase} はありません（この行には {count} 個あります）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mora {mora} does not exist in accent phrase {phrase} ({count} moras)</source>
        <translation>アクセント句 {phrase} にモーラ {mora} はありません（{count} モーラです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pitch must be 0 (low) or 1 (high), not {pitch}</source>
        <translation>高さは 0（低）か 1（高）で、{pitch} は使えません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accent phrase {phrase} is punctuation only: it has no reading to change</source>
        <translation>アクセント句 {phrase} は句読点だけで、変えられる読みがありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reading of accent phrase {phrase}: {reading} is not a katakana reading</source>
        <translation>アクセント句 {phrase} の読み: {reading} はカタカナの読みではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reading of accent phrase {phrase}: the reading {reading} cannot start with ー</source>
        <translation>アクセント句 {phrase} の読み: 読み {reading} を ー で始めることはできません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accent phrase {phrase} can be split after 1..{max} moras, not {at}</source>
        <translation>アクセント句 {phrase} を区切れるのは 1..{max} モーラの後で、{at} ではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accent phrase {phrase} is the last one: there is nothing to join it with</source>
        <translation>アクセント句 {phrase} は最後の句なので、つなげる相手がありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accent phrase {phrase} ends in punctuation: phrases cannot be joined across it</source>
        <translation>アクセント句 {phrase} は句読点で終わっています。句読点をまたいで句をつなげることはできません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an accent phrase needs moras (only leading punctuation stands alone)</source>
        <translation>アクセント句にはモーラが必要です（単独で立てるのは先頭の句読点だけです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}.pitch: SBV2 pitches are 0 (low) or 1 (high), not {pitch}</source>
        <translation>{where}.pitch: SBV2 の高さは 0（低）か 1（高）で、{pitch} は使えません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}.vowel: punctuation {vowel} belongs in the pause_mora</source>
        <translation>{where}.vowel: 句読点 {vowel} は pause_mora に入れてください</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}.pause_mora: markWords must give one word per mark</source>
        <translation>{where}.pause_mora: markWords は記号ごとに一つの語を指定しなければなりません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}.pause_mora.text: {text} is not a punctuation mark SBV2 speaks</source>
        <translation>{where}.pause_mora.text: {text} は SBV2 が読む句読点ではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>word {word} is out of order or not among the {count} words</source>
        <translation>語 {word} は順序が違うか、{count} 語の中にありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a query must be a JSON object</source>
        <translation>クエリは JSON オブジェクトでなければなりません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>text: the query must say which text it speaks</source>
        <translation>text: クエリには読み上げるテキストが必要です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>words: a list of the text&apos;s words (strings, what the BERT reads) is needed</source>
        <translation>words: テキストの語のリスト（BERT が読む文字列）が必要です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accent_phrases: a list of accent phrases is needed</source>
        <translation>accent_phrases: アクセント句のリストが必要です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}.moras: a list of moras is needed</source>
        <translation>{where}.moras: モーラのリストが必要です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>needs text, vowel, pitch (0/1) and word ({error})</source>
        <translation>text、vowel、pitch（0/1）、word が必要です（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where}.pause_mora.markWords: the word of each mark is needed</source>
        <translation>{where}.pause_mora.markWords: 記号ごとの語が必要です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a JSON query: {error}</source>
        <translation>JSON のクエリではありません: {error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>is empty: give the word as it is written</source>
        <translation>が空です。書いたとおりの語を入力してください</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{surface} must not contain commas, quotes or spaces</source>
        <translation>{surface} にはカンマ、引用符、空白を入れられません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{pronunciation} is not a katakana pronunciation (e.g. キクチ, not きくち)</source>
        <translation>{pronunciation} はカタカナの読みではありません（例: きくち ではなく キクチ）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{accent} is not a whole number</source>
        <translation>{accent} は整数ではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{accent} is beyond the {moras} mora(s) of {pronunciation} (0..{moras})</source>
        <translation>{accent} は {pronunciation} の {moras} モーラを超えています（0..{moras}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{word_type} is not one of {word_types}</source>
        <translation>{word_type} は {word_types} のどれでもありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{priority} is outside {lo}..{hi}</source>
        <translation>{priority} は範囲 {lo}..{hi} の外です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is not a JSON object</source>
        <translation>が JSON オブジェクトではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{pos} is not a part of speech the studio offers</source>
        <translation>{pos} はスタジオで選べる品詞ではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>word {word}: {problem}</source>
        <translation>単語 {word}: {problem}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a VOICEVOX user dictionary (invalid JSON: {error})</source>
        <translation>VOICEVOX のユーザー辞書ではありません（JSON が不正です: {error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a VOICEVOX user dictionary (expected an object of words)</source>
        <translation>VOICEVOX のユーザー辞書ではありません（単語のオブジェクトのはずです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no word with the id {id} in the user dictionary</source>
        <translation>ユーザー辞書に ID {id} の単語はありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot be written ({error})</source>
        <translation>書き込めません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MeCab could not compile the user dictionary ({error})</source>
        <translation>MeCab がユーザー辞書をコンパイルできませんでした（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MeCab could not compile the user dictionary (no .dic was written)</source>
        <translation>MeCab がユーザー辞書をコンパイルできませんでした（.dic が書き出されませんでした）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the user dictionary could not be read ({error}); it was moved to {aside} and an empty one started</source>
        <translation>ユーザー辞書を読めませんでした（{error}）。{aside} に移し、空の辞書で始めました</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the file is not a JSON object of words</source>
        <translation>ファイルが単語の JSON オブジェクトではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} word(s) could not be used and were left out ({problem}); the file as it was is kept as {aside}</source>
        <translation>{count} 語が使えないため除外しました（{problem}）。元のファイルは {aside} として残してあります</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>missing</source>
        <translation>ありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>does not exist</source>
        <translation>存在しません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a folder</source>
        <translation>フォルダではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot be read ({error})</source>
        <translation>読めません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not valid JSON ({error})</source>
        <translation>JSON として正しくありません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a usable JSON file (nested too deeply)</source>
        <translation>使える JSON ファイルではありません（入れ子が深すぎます）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected a JSON object, not {type}</source>
        <translation>JSON オブジェクトのはずが {type} です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no &apos;data&apos; section: this is not an SBV2 config.json</source>
        <translation>&apos;data&apos; セクションがありません。SBV2 の config.json ではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>malformed &apos;{field}&apos; ({error})</source>
        <translation>&apos;{field}&apos; の形式が正しくありません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>data.sampling_rate {rate} is not a sampling rate ({lo}..{hi})</source>
        <translation>data.sampling_rate {rate} はサンプリングレートではありません（{lo}..{hi}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>data.n_speakers ({speakers}) and data.num_styles ({styles}) must be 1 or more</source>
        <translation>data.n_speakers（{speakers}）と data.num_styles（{styles}）は 1 以上でなければなりません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>speaker ids {ids} are outside n_speakers={count}</source>
        <translation>話者 ID {ids} が n_speakers={count} の範囲外です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>malformed &apos;model&apos; section: expected an object, not {type}</source>
        <translation>&apos;model&apos; セクションの形式が正しくありません: オブジェクトのはずが {type} です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>malformed decoder layout in the &apos;model&apos; section ({type}: {error})</source>
        <translation>&apos;model&apos; セクションのデコーダー構成の形式が正しくありません（{type}: {error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>style vectors are {type}, not numbers</source>
        <translation>スタイルベクトルが数値ではなく {type} です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>style vectors have shape {shape}, expected [num_styles, {dim}]</source>
        <translation>スタイルベクトルの形が {shape} です（[num_styles, {dim}] のはずです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>styles {styles} have no row among the {count} style vectors</source>
        <translation>スタイル {styles} に当たる行が {count} 個のスタイルベクトルの中にありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>style vectors contain NaN or infinity</source>
        <translation>スタイルベクトルに NaN か無限大が含まれています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>missing: an SBV2 model folder needs style_vectors.npy</source>
        <translation>ありません: SBV2 のモデルフォルダには style_vectors.npy が必要です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a readable .npy array ({error})</source>
        <translation>読める .npy 配列ではありません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an SBV2 synthesizer: inputs are {inputs} (missing {missing})</source>
        <translation>SBV2 の合成器ではありません: 入力が {inputs} です（{missing} がありません）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no .onnx synthesizer in the folder (a .safetensors voice is converted when imported: sbv2-studio import FOLDER, or Import… in the window)</source>
        <translation>フォルダに .onnx の合成器がありません（.safetensors 音声はインポート時に変換されます: sbv2-studio import FOLDER、またはウィンドウの「インポート…」）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>not a valid AIVMX file: {error}</source>
        <translation>正しい AIVMX ファイルではありません: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an ONNX/AIVMX file ({type}: {error})</source>
        <translation>ONNX/AIVMX ファイルではありません（{type}: {error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AIVMX metadata has no style vectors (aivm_style_vectors)</source>
        <translation>AIVMX のメタデータにスタイルベクトル（aivm_style_vectors）がありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AIVMX style vectors are not a readable .npy array ({error})</source>
        <translation>AIVMX のスタイルベクトルが読める .npy 配列ではありません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AIVMX speakers {ids} are outside n_speakers={count}</source>
        <translation>AIVMX の話者 {ids} が n_speakers={count} の範囲外です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an SBV2 model folder or .aivmx file</source>
        <translation>SBV2 のモデルフォルダでも .aivmx ファイルでもありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a BERT ONNX folder</source>
        <translation>BERT の ONNX フォルダではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no model.onnx or model_fp16.onnx in the BERT folder</source>
        <translation>BERT フォルダに model.onnx も model_fp16.onnx もありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>missing: the BERT folder needs its tokenizer files beside the model</source>
        <translation>ありません: BERT フォルダにはモデルと並べてトークナイザーのファイルが必要です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty file (0 bytes): not an ONNX model</source>
        <translation>空のファイルです（0 バイト）: ONNX モデルではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an ONNX model: corrupt or truncated ({error})</source>
        <translation>ONNX モデルではありません: 壊れているか途中で切れています（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an ONNX model: no graph (corrupt, truncated or another kind of file)</source>
        <translation>ONNX モデルではありません: グラフがありません（壊れているか、途中で切れているか、別の種類のファイルです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the graph is {graph} but config.json says version &apos;{version}&apos;: the config and the model do not belong together</source>
        <translation>グラフは {graph} ですが config.json のバージョンは &apos;{version}&apos; です。設定とモデルが対応していません</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>not an SBV2 synthesizer: no &apos;output&apos; among outputs {outputs}</source>
        <translation>SBV2 の合成器ではありません: 出力 {outputs} に &apos;output&apos; がありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a file of this model is nested too deeply to read</source>
        <translation>このモデルのファイルは入れ子が深すぎて読めません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>onnxruntime cannot open the graph ({error})</source>
        <translation>onnxruntime がグラフを開けません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a BERT graph: inputs are {inputs} (missing {missing})</source>
        <translation>BERT のグラフではありません: 入力が {inputs} です（{missing} がありません）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a BERT graph: unexpected input &apos;{name}&apos; ({type})</source>
        <translation>BERT のグラフではありません: 想定外の入力 &apos;{name}&apos;（{type}）があります</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a BERT graph: input &apos;{name}&apos; is {type}, expected int64 token ids</source>
        <translation>BERT のグラフではありません: 入力 &apos;{name}&apos; が {type} です（int64 のトークン ID のはずです）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an ONNX model onnxruntime can open ({error})</source>
        <translation>onnxruntime で開ける ONNX モデルではありません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an ONNX model OpenVINO can read</source>
        <translation>OpenVINO が読める ONNX モデルではありません</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the cache folder cannot be written ({error})</source>
        <translation>キャッシュフォルダーに書き込めません ({error})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the process converting it stopped unexpectedly (out of memory?); nothing was changed</source>
        <translation>変換していたプロセスが予期せず終了しました (メモリ不足?)。何も変更されていません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a model of that name is already in the library</source>
        <translation>その名前のモデルはもうライブラリにあります</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the built-in voice cannot be removed</source>
        <translation>内蔵音声は削除できません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is not inside the library folder; remove its folder from the list instead</source>
        <translation>{path} はライブラリのフォルダの中にありません。代わりにそのフォルダを一覧から外してください</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the built-in voice is not an SBV2 model</source>
        <translation>内蔵音声は SBV2 のモデルではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no such BERT folder ({source})</source>
        <translation>その BERT フォルダはありません（{source}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>missing: a .safetensors voice needs its config.json beside it</source>
        <translation>ありません: .safetensors 音声には、隣に config.json が必要です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no checkpoint named {name} (there are: {names})</source>
        <translation>{name} という名前のチェックポイントはありません（あるもの: {names}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the converted graph does not run: {error}</source>
        <translation>変換したグラフが動きません: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the converted graph gives NaN or infinite audio: the weights look garbled</source>
        <translation>変換したグラフの音声が NaN か無限大になります。重みが壊れているようです</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a readable .safetensors file (truncated or garbled?): {error}</source>
        <translation>読める .safetensors ファイルではありません（途中で切れているか壊れている？）: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot be converted: {error}</source>
        <translation>変換できません: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>does not match its config.json ({arch}): {error}</source>
        <translation>config.json（{arch}）と合っていません: {error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not a readable ONNX graph ({type}: {error})</source>
        <translation>読める ONNX グラフではありません（{type}: {error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the fp16 conversion of {source} does not load in onnxruntime ({error})</source>
        <translation>{source} の fp16 変換が onnxruntime で読み込めません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown BERT variant &apos;{variant}&apos; (choose from {variants})</source>
        <translation>不明な BERT の種類 &apos;{variant}&apos; です（{variants} から選んでください）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the {variant} BERT variant needs the FP32 graph (model.onnx) in {folder}</source>
        <translation>{variant} の BERT には {folder} に FP32 のグラフ（model.onnx）が必要です</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the graph has no &apos;{name}&apos; output (outputs: {outputs})</source>
        <translation>グラフに出力 &apos;{name}&apos; がありません（出力: {outputs}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>could not find the tensor the decoder reads (z * y_mask) in this graph</source>
        <translation>このグラフで、デコーダーが読むテンソル（z * y_mask）が見つかりませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the decoder part of the graph is empty</source>
        <translation>グラフのデコーダー部分が空です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the decoder does not read the latent tensor {name}</source>
        <translation>デコーダーが潜在テンソル {name} を読んでいません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot cut {name} out of the graph: {error}</source>
        <translation>グラフから {name} を切り出せません: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the decoder cut holds {count} nodes, the decoder {expected}</source>
        <translation>切り出したデコーダーのノードは {count} 個ですが、デコーダーは {expected} 個です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a decoder upsampling layer is not preceded by a leaky ReLU</source>
        <translation>デコーダーのアップサンプリング層の前に leaky ReLU がありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the decoder has no transposed convolutions</source>
        <translation>デコーダーに転置畳み込みがありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a decoder part reads {tensors}: the decoder cannot be split into levels</source>
        <translation>デコーダーの一部が {tensors} を読んでいます。デコーダーを段階に分けられません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the decoder parts do not cover the decoder</source>
        <translation>デコーダーの各部分がデコーダー全体を覆っていません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no such model file</source>
        <translation>そのモデルファイルはありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot read the ONNX graph ({error})</source>
        <translation>ONNX グラフを読めません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the split graphs give {count} samples, the whole graph {expected}</source>
        <translation>分割したグラフは {count} サンプル、元のグラフは {expected} サンプルを出します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the split graphs differ from the whole graph by {diff}</source>
        <translation>分割したグラフと元のグラフの出力が {diff} 違います</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>download cancelled; run it again to resume where it stopped</source>
        <translation>ダウンロードを中止しました。もう一度実行すると、止まったところから再開します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown BERT variant {variant} (choose {variants})</source>
        <translation>不明な BERT の種類 {variant} です（{variants} から選んでください）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} has no {files}: the repo is not the expected DeBERTa ONNX export</source>
        <translation>{repo} に {files} がありません。想定している DeBERTa の ONNX 書き出しのリポジトリではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the downloaded BERT model does not load: {error}</source>
        <translation>ダウンロードした BERT モデルを読み込めません: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the downloaded voice does not load: {error}</source>
        <translation>ダウンロードした音声を読み込めません: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face downloads are off (HF_HUB_OFFLINE is set)</source>
        <translation>Hugging Face からのダウンロードが無効です（HF_HUB_OFFLINE が設定されています）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} is gated: accept its terms on the Hub, then log in (hf auth login)</source>
        <translation>{repo} は利用条件への同意が必要です。Hub で同意してからログインしてください（hf auth login）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} has no revision {revision}</source>
        <translation>{repo} にリビジョン {revision} はありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no such model repo on Hugging Face (or it is private: log in)</source>
        <translation>Hugging Face にそのモデルのリポジトリはありません（非公開ならログインしてください）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face refused the request for {repo}: {error}</source>
        <translation>Hugging Face が {repo} へのリクエストを拒否しました: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} is not a Hugging Face repo id (owner/name)</source>
        <translation>{repo} は Hugging Face のリポジトリ ID（owner/name）ではありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot reach Hugging Face ({endpoint}): check your connection</source>
        <translation>Hugging Face（{endpoint}）に接続できません。接続を確認してください</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} has no file {path}</source>
        <translation>{repo} にファイル {path} はありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} has no safetensors voice checkpoint {path} (with config.json and style_vectors.npy beside it)</source>
        <translation>{repo} に safetensors 音声のチェックポイント {path}（config.json と style_vectors.npy が隣にあるもの）はありません</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{repo} holds several voices ({voices}): choose one as the subfolder</source>
        <translation>{repo} には複数の音声があります（{voices}）。サブフォルダとして一つ選んでください</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} has no folder {path}</source>
        <translation>{repo} にフォルダ {path} はありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} has only .safetensors weights without config.json and style_vectors.npy beside them: they cannot be turned into a voice</source>
        <translation>{repo} には config.json と style_vectors.npy のない .safetensors の重みしかありません。音声にすることはできません</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{repo} holds no SBV2 voice (config.json + style_vectors.npy + .onnx or .safetensors, or an .aivmx)</source>
        <translation>{repo} に SBV2 音声はありません（config.json + style_vectors.npy + .onnx か .safetensors、または .aivmx）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cannot write the download under {folder} ({error})</source>
        <translation>{folder} の下にダウンロードを書き込めません（{error}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the download keeps failing ({reason}); check your connection and run it again to resume</source>
        <translation>ダウンロードが失敗し続けています（{reason}）。接続を確認してもう一度実行すると再開します</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{path} arrived corrupt ({problem}); it was deleted, run the download again</source>
        <translation>{path} は壊れた状態で届きました（{problem}）。削除したので、もう一度ダウンロードしてください</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server refused to resume</source>
        <translation>サーバーが再開を拒否しました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face answered HTTP {status}</source>
        <translation>Hugging Face の応答は HTTP {status} でした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the connection closed early</source>
        <translation>接続が途中で切れました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot reach {endpoint}</source>
        <translation>{endpoint} に接続できません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>access denied by Hugging Face (a gated or private repo needs you to log in)</source>
        <translation>Hugging Face にアクセスを拒否されました（同意が必要なリポジトリや非公開のリポジトリにはログインが必要です）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not found on Hugging Face</source>
        <translation>Hugging Face に見つかりません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{size} bytes instead of {expected}</source>
        <translation>{expected} バイトのはずが {size} バイトです</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sha256 {digest} instead of {expected}</source>
        <translation>sha256 が {expected} のはずが {digest} です</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>git blob id {digest} instead of {expected}</source>
        <translation>git の blob ID が {expected} のはずが {digest} です</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown backend &apos;{backend}&apos; (choose from {backends})</source>
        <translation>不明なバックエンド &apos;{backend}&apos; です（{backends} から選んでください）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown precision &apos;{precision}&apos; (choose from {precisions})</source>
        <translation>不明な精度 &apos;{precision}&apos; です（{precisions} から選んでください）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{kind}: devices are numbers ({kind}:0, {kind}:1 …), not &apos;{device}&apos;</source>
        <translation>{kind}: デバイスは番号で指定します（{kind}:0、{kind}:1 …）。&apos;{device}&apos; は使えません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>backend &apos;{backend}&apos;: the device after &apos;:&apos; must be a number, as in {kind}:0</source>
        <translation>バックエンド &apos;{backend}&apos;: &apos;:&apos; の後のデバイスは {kind}:0 のように番号でなければなりません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{what} has no {precision} graph (choose from {precisions})</source>
        <translation>{what} には {precision} のグラフがありません（{precisions} から選んでください）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>onnxruntime runs {what} in {precisions} only, not {precision} (OpenVINO runs bf16/fp16 where the CPU or GPU has them: --synth-backend openvino)</source>
        <translation>onnxruntime は {what} を {precisions} でしか動かせず、{precision} では動かせません（OpenVINO なら CPU や GPU が対応していれば bf16/fp16 で動きます: --synth-backend openvino）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>onnxruntime runs {what} in {precisions} only, not {precision}</source>
        <translation>onnxruntime は {what} を {precisions} でしか動かせず、{precision} では動かせません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SBV2_STUDIO_FAULT: bad fault spec &apos;{spec}&apos;: {usage}</source>
        <translation>SBV2_STUDIO_FAULT: 障害の指定 &apos;{spec}&apos; が正しくありません: {usage}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>use KIND:create[:MESSAGE] or KIND:run:N[:MESSAGE], KIND one of {kinds}</source>
        <translation>KIND:create[:MESSAGE] か KIND:run:N[:MESSAGE] の形で、KIND は {kinds} のどれかです</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SBV2_STUDIO_FAULT: bad fault spec &apos;{spec}&apos;: N (the failing run) must be 1 or more; {usage}</source>
        <translation>SBV2_STUDIO_FAULT: 障害の指定 &apos;{spec}&apos; が正しくありません: N（失敗させる実行回）は 1 以上です。{usage}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>this onnxruntime build has no {provider}</source>
        <translation>この onnxruntime のビルドには {provider} がありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>could not create a session for {stage}: {error}</source>
        <translation>{stage} のセッションを作れませんでした: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>onnxruntime fell back to CPU for {stage} (provider did not start)</source>
        <translation>onnxruntime が {stage} を CPU で動かしました（プロバイダーが起動しませんでした）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the openvino package is not installed (pip install openvino)</source>
        <translation>openvino パッケージがインストールされていません（pip install openvino）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{stage} failed on {backend}: {error}</source>
        <translation>{stage} が {backend} で失敗しました: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenVINO: the openvino package is not installed (pip install openvino)</source>
        <translation>OpenVINO: openvino パッケージがインストールされていません（pip install openvino）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenVINO has no device &apos;{device}&apos; here (devices: {devices})</source>
        <translation>OpenVINO にはここでデバイス &apos;{device}&apos; がありません（デバイス: {devices}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenVINO: the graph has no output {error}</source>
        <translation>OpenVINO: グラフに出力 {error} がありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenVINO:{device} {precision}: {reason}</source>
        <translation>OpenVINO:{device} {precision}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the CPU lacks {flags}: {precision} would be emulated (slower than fp32)</source>
        <translation>CPU に {flags} がありません。{precision} はエミュレーションになります（fp32 より遅くなります）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the flow reads the synthesizer&apos;s inputs directly: the latent graph stays whole</source>
        <translation>フローが合成器の入力を直接読むため、潜在グラフは分割せずそのまま使います</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finding the fastest backends needs an SBV2 voice loaded (the built-in voice runs on OpenJTalk alone)</source>
        <translation>最速のバックエンドを探すには SBV2 音声を読み込んでください (内蔵音声は OpenJTalk だけで動きます)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{stage}: {backend} could not start ({error}); finished on CPU</source>
        <translation>{stage}: {backend} を起動できませんでした（{error}）。CPU で最後まで処理しました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{stage}: {backend} failed ({error}); finished on CPU</source>
        <translation>{stage}: {backend} が失敗しました（{error}）。CPU で最後まで処理しました</translation>
    </message>
</context>
<context>
    <name>Jobs</name>
    <message>
        <location filename="../i18n.py" line="+59"/>
        <source>Scanning voices</source>
        <translation>音声を検索しています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loading voice</source>
        <translation>音声を読み込んでいます</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warming up</source>
        <translation>ウォームアップしています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Getting streaming ready</source>
        <translation>ストリーミングを準備しています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synthesizing</source>
        <translation>音声合成しています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speaking</source>
        <translation>再生しながら合成しています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comparing backends</source>
        <translation>バックエンドを比較しています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retrying the GPU</source>
        <translation>GPU を再試行しています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importing a voice</source>
        <translation>音声を取り込んでいます</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Removing a voice</source>
        <translation>音声を削除しています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exporting lines</source>
        <translation>行ごとに書き出しています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Serving an API request</source>
        <translation>API リクエストを処理中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finding the fastest backends for this machine</source>
        <translation>このマシンで最速のバックエンドを探しています</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the text ahead</source>
        <translation>テキストを先読みしています</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../core_text.py" line="+70"/>
        <source>Built-in: OpenJTalk mei (not SBV2)</source>
        <translation>内蔵: OpenJTalk mei（SBV2 ではありません）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} ({kind}) — broken: {error}</source>
        <translation>{name}（{kind}）— 壊れています: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All CPU</source>
        <translation>すべて CPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All {backend}</source>
        <translation>すべて {backend}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BERT {bert} + synth {synth}</source>
        <translation>BERT {bert} + 音声合成 {synth}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{backend} (emulated on CPU)</source>
        <translation>{backend}（CPU でエミュレート）</translation>
    </message>
</context>
<context>
    <name>LatencyPanel</name>
    <message>
        <location filename="../latency_panel.py" line="+102"/>
        <location line="+248"/>
        <source>No request yet</source>
        <translation>まだリクエストはありません</translation>
    </message>
    <message>
        <location line="-241"/>
        <source>Export CSV…</source>
        <translation>CSV に書き出し…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clear</source>
        <translation>クリア</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This request (ms per stage)</source>
        <translation>今回のリクエスト（段階ごとの ms）</translation>
    </message>
    <message>
        <location line="+37"/>
        <location line="+324"/>
        <source>Recent requests (ms)</source>
        <translation>最近のリクエスト（ms）</translation>
    </message>
    <message>
        <location line="-322"/>
        <source>The last {count} requests, stacked by stage; &apos;cold&apos; marks a first request</source>
        <translation>直近 {count} 件のリクエストを段階ごとに積み上げ表示。「初回」は最初のリクエストです</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Recent requests</source>
        <translation>最近のリクエスト</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chunk timeline</source>
        <translation>チャンクのタイムライン</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Streamed requests show here: when each chunk was made and when it plays</source>
        <translation>ストリーミングしたリクエストがここに表示されます: 各チャンクを作った時刻と再生される時刻</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>ms since the request</source>
        <translation>リクエストからの ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chunk</source>
        <translation>チャンク</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Request #{number}: running…</source>
        <translation>リクエスト #{number}: 実行中…</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>first request (cold)</source>
        <translation>初回リクエスト（コールド）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>warm</source>
        <translation>ウォーム</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+129"/>
        <source>not played</source>
        <translation>未再生</translation>
    </message>
    <message>
        <location line="-127"/>
        <source>{count} underrun(s)</source>
        <translation>途切れ {count} 回</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>first audio &lt;b&gt;{ms:.0f} ms&lt;/b&gt; &amp;nbsp;·&amp;nbsp; {chunks} chunks, {played}</source>
        <translation>最初の音声 &lt;b&gt;{ms:.0f} ms&lt;/b&gt; &amp;nbsp;·&amp;nbsp; {chunks} チャンク、{played}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;#{number}&lt;/b&gt; &amp;nbsp; total &lt;b&gt;{total:.1f} ms&lt;/b&gt; &amp;nbsp;·&amp;nbsp; audio &lt;b&gt;{seconds:.2f} s&lt;/b&gt; &amp;nbsp;·&amp;nbsp; RTF &lt;b&gt;{rtf:.3f}&lt;/b&gt; &amp;nbsp;·&amp;nbsp; {warm}</source>
        <translation>&lt;b&gt;#{number}&lt;/b&gt; &amp;nbsp; 合計 &lt;b&gt;{total:.1f} ms&lt;/b&gt; &amp;nbsp;·&amp;nbsp; 音声 &lt;b&gt;{seconds:.2f} 秒&lt;/b&gt; &amp;nbsp;·&amp;nbsp; RTF &lt;b&gt;{rtf:.3f}&lt;/b&gt; &amp;nbsp;·&amp;nbsp; {warm}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Request #{number}: cancelled or failed</source>
        <translation>リクエスト #{number}: キャンセルまたは失敗</translation>
    </message>
    <message>
        <location line="+44"/>
        <source> {ms:.1f} ms · {where}</source>
        <translation> {ms:.1f} ms · {where}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · copies {ms:.2f} ms</source>
        <translation> · 転送 {ms:.2f} ms</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>making</source>
        <translation>生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>playing</source>
        <translation>再生</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pause</source>
        <translation>ポーズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>late</source>
        <translation>遅れ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chunk timeline (streamed requests) &amp;nbsp; {keys}</source>
        <translation>チャンクのタイムライン（ストリーミング時） &amp;nbsp; {keys}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>first audio &lt;b&gt;{ms:.0f} ms&lt;/b&gt;</source>
        <translation>最初の音声 &lt;b&gt;{ms:.0f} ms&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} chunks</source>
        <translation>{count} チャンク</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>headroom ≥ {ms:.0f} ms</source>
        <translation>余裕 ≥ {ms:.0f} ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{ms:.0f} ms late at worst</source>
        <translation>最大 {ms:.0f} ms の遅れ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>underruns &lt;b&gt;{count}&lt;/b&gt;</source>
        <translation>途切れ &lt;b&gt;{count}&lt;/b&gt; 回</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} late</source>
        <translation>{count} 件遅れ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>waited for {n} chunk(s), {ms:.0f} ms of audio, before playing</source>
        <translation>再生前に {n} チャンク（{ms:.0f} ms 分の音声）を待ちました</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>cold</source>
        <translation>初回</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="+83"/>
        <source>load</source>
        <translation>読み込み</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>synth</source>
        <translation>合成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>export</source>
        <translation>書き出し</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Streaming: the voice starts speaking after the first few hundred milliseconds, sentence by sentence and chunk by chunk, instead of after the whole text is made. The chunk timeline shows how it kept up.</source>
        <translation>ストリーミング: テキスト全体の合成を待たず、最初の数百ミリ秒で話し始め、文ごと・チャンクごとに再生します。チャンクのタイムラインで間に合ったかを確認できます。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
    <message>
        <location line="+149"/>
        <source>UI max gap: — ms</source>
        <translation>UI 最大停止: — ms</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Longest pause of the window&apos;s event loop while work was in flight (a 10 ms heartbeat timer). Under 50 ms feels instant.</source>
        <translation>処理中にウィンドウのイベントループが止まった最長時間（10 ms ごとのハートビートタイマーで計測）。50 ms 未満なら即座に反応しているように感じられます。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Type Japanese text to speak. Ctrl+Enter synthesizes; each line is spoken in turn.</source>
        <translation>読み上げる日本語のテキストを入力してください。Ctrl+Enter で音声合成し、各行を順に読み上げます。</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+136"/>
        <source>Synthesize</source>
        <translation>音声合成</translation>
    </message>
    <message>
        <location line="-131"/>
        <location line="+134"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location line="-131"/>
        <source>▶ Play</source>
        <translation>▶ 再生</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>■ Stop</source>
        <translation>■ 停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the last result as WAV or FLAC</source>
        <translation>最後の結果を WAV または FLAC で保存します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Play when done</source>
        <translation>完了したら再生</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speak while synthesizing</source>
        <translation>合成しながら再生</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Accents…</source>
        <translation>アクセント…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the accent phrases of the line the cursor is on: fix a reading or an accent</source>
        <translation>カーソルのある行のアクセント句を表示します（読みやアクセントを直せます）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Output:</source>
        <translation>出力先:</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save audio as…</source>
        <translation>音声を名前を付けて保存…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export latency CSV…</source>
        <translation>レイテンシを CSV に書き出し…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export a text file, one WAV per line…</source>
        <translation>テキストファイルを書き出し（1 行ごとに WAV）…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export the text&apos;s lines, one WAV each…</source>
        <translation>エディタの各行を書き出し（1 行ごとに WAV）…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Models</source>
        <translation>モデル(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import voice folder…</source>
        <translation>音声フォルダを読み込み…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a folder of voices…</source>
        <translation>音声のあるフォルダを追加…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop listing an added folder</source>
        <translation>追加したフォルダを一覧から外す</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download voices…</source>
        <translation>音声をダウンロード…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove this voice from the library…</source>
        <translation>この音声をライブラリから削除…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set BERT folder…</source>
        <translation>BERT フォルダを設定…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rescan</source>
        <translation>再検索</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Tools</source>
        <translation>ツール(&amp;T)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Compare backends…</source>
        <translation>バックエンドを比較…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warm up now</source>
        <translation>今すぐウォームアップ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warm up after loading a voice</source>
        <translation>音声の読み込み後にウォームアップ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A short dummy request after each load, so the first real one is not cold</source>
        <translation>読み込みのたびに短いダミーの合成を行い、最初の本番リクエストが遅くならないようにします</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Read the text ahead while typing</source>
        <translation>入力中にテキストを先読み</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>When you pause typing, the idle worker prepares the text (BERT), so speech starts sooner</source>
        <translation>入力の手が止まると、空いているワーカーがテキストを前処理 (BERT) しておき、音声が早く始まるようにします</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retry GPU</source>
        <translation>GPU を再試行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>User dictionary…</source>
        <translation>ユーザー辞書…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Serve the API (VOICEVOX-compatible)</source>
        <translation>API を公開（VOICEVOX 互換）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Other programs (YMM4, AITuber kits, bots) use this window&apos;s voices over HTTP on this machine</source>
        <translation>このマシン上の他のアプリ（YMM4、AITuber キット、ボットなど）が HTTP でこのウィンドウの音声を使えます</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+857"/>
        <source>About SBV2 Studio</source>
        <translation>SBV2 Studio について</translation>
    </message>
    <message>
        <location line="-848"/>
        <source>Language</source>
        <translation>言語 (Language)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The language applies the next time SBV2 Studio starts.</source>
        <translation>言語の設定は、次に SBV2 Studio を起動したときに反映されます。</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>No Japanese font is installed, so Japanese text shows as empty boxes. Install one, e.g. on Debian/Ubuntu &lt;code&gt;apt-get install fonts-noto-cjk&lt;/code&gt;, then restart.</source>
        <translation>日本語フォントがインストールされていないため、日本語が空の四角で表示されます。フォントをインストールしてから（例: Debian/Ubuntu では &lt;code&gt;apt-get install fonts-noto-cjk&lt;/code&gt;）再起動してください。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Some saved settings were unusable and are back to their defaults: {keys} ({path})</source>
        <translation>保存された設定の一部が使えなかったため、既定値に戻しました: {keys}（{path}）</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>Loaded {voice}</source>
        <translation>{voice} を読み込みました</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>This machine may run SBV2 voices faster than on onnxruntime at FP32 (the starting choice). Measure which engine and precision are fastest here while the audio stays within the fidelity limits? It takes about half a minute; you can keep typing meanwhile. (Later: Backends → Fastest for this machine.)</source>
        <translation>このマシンでは、SBV2 音声を onnxruntime の FP32（最初の設定）より速く動かせるかもしれません。音声が忠実度の基準内に収まる範囲で、最速のエンジンと精度を測定しますか？ 30 秒ほどかかります。その間も入力を続けられます。（後からでも「バックエンド」の「このマシンで最速に」で測定できます。）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Measure now</source>
        <translation>今すぐ測定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not now</source>
        <translation>後で</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>SBV2 Studio — {voice}</source>
        <translation>SBV2 Studio — {voice}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Importing {names}…</source>
        <translation>{names} を読み込んでいます…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Imported {voice} into the library.</source>
        <translation>{voice} をライブラリに読み込みました。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The built-in voice cannot be removed.</source>
        <translation>内蔵音声は削除できません。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{voice} is in a folder you added:
{folder}

Stop listing that folder? Nothing is deleted.</source>
        <translation>{voice} は追加したフォルダの中にあります:
{folder}

このフォルダを一覧から外しますか？ ファイルは削除されません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+8"/>
        <source>Remove voice</source>
        <translation>音声の削除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {voice} from the library?
{path}

This cannot be undone.</source>
        <translation>{voice} をライブラリから削除しますか？
{path}

この操作は元に戻せません。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>(no added folders)</source>
        <translation>（追加したフォルダはありません）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No longer listing voices in {folder} (nothing was deleted).</source>
        <translation>{folder} の音声を一覧から外しました（何も削除していません）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Removed {voice} from the library.</source>
        <translation>{voice} をライブラリから削除しました。</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Measuring the fastest backends for this machine…</source>
        <translation>このマシンで最速のバックエンドを測定しています…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Fastest for this machine: {choice}</source>
        <translation>このマシンで最速: {choice}</translation>
    </message>
    <message>
        <location line="+432"/>
        <source>Serving the VOICEVOX-compatible API at &lt;b&gt;{url}&lt;/b&gt; (this machine only)</source>
        <translation>VOICEVOX 互換 API を &lt;b&gt;{url}&lt;/b&gt; で公開中（このマシンからのみ）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>API: {url}</source>
        <translation>API: {url}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;Could not serve the API:&lt;/b&gt; {0}</source>
        <translation>&lt;b&gt;API を公開できませんでした:&lt;/b&gt; {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The API server stopped</source>
        <translation>API サーバーを停止しました</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>These takes have different sample rates: play them one by one.</source>
        <translation>これらのテイクはサンプリングレートが違います。1 つずつ再生してください。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Restored take #{0}</source>
        <translation>テイク #{0} を復元しました</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save take</source>
        <translation>テイクを保存</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved {0}</source>
        <translation>{0} を保存しました</translation>
    </message>
    <message>
        <location line="-995"/>
        <source>Import .aivmx or .safetensors file…</source>
        <translation>.aivmx / .safetensors ファイルを読み込む…</translation>
    </message>
    <message>
        <location line="+423"/>
        <source>Import a voice file</source>
        <translation>音声モデルのファイルを読み込む</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>AIVMX voices or SBV2 checkpoints (*.aivmx *.safetensors)</source>
        <translation>AIVMX 音声モデル・SBV2 チェックポイント (*.aivmx *.safetensors)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import an SBV2 model folder (config.json, *.onnx or *.safetensors, style_vectors.npy)</source>
        <translation>SBV2 モデルのフォルダーを読み込む（config.json、*.onnx または *.safetensors、style_vectors.npy）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add a folder that holds SBV2 voices</source>
        <translation>SBV2 音声のあるフォルダを追加</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The DeBERTa ONNX folder (model.onnx + vocab.txt)</source>
        <translation>DeBERTa ONNX のフォルダ（model.onnx + vocab.txt）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The BERT model is installed: SBV2 voices can speak now.</source>
        <translation>BERT モデルをインストールしました。SBV2 音声で話せます。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Speaking with the built-in OpenJTalk voice. For Style-Bert-VITS2 voices, import a model folder or an .aivmx file (Models ▸ Import voice folder… / Import .aivmx file…), download one (Models ▸ Download voices…) or drag one onto this window.</source>
        <translation>内蔵の OpenJTalk 音声で話しています。Style-Bert-VITS2 の音声を使うには、モデルフォルダか .aivmx ファイルを読み込む（モデル ▸ 音声フォルダを読み込み… / .aivmx ファイルを読み込み…）、ダウンロードする（モデル ▸ 音声をダウンロード…）、またはこのウィンドウにドラッグしてください。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import…</source>
        <translation>読み込み…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download…</source>
        <translation>ダウンロード…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Retrying the GPU…</source>
        <translation>GPU を再試行しています…</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+298"/>
        <source>Type some text first</source>
        <translation>先にテキストを入力してください</translation>
    </message>
    <message>
        <location line="-257"/>
        <source>Cancelled</source>
        <translation>キャンセルしました</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{seconds:.2f} s of audio in {ms:.0f} ms (RTF {rtf:.3f})</source>
        <translation>{seconds:.2f} 秒の音声を {ms:.0f} ms で合成（RTF {rtf:.3f}）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Skipped lines with nothing readable: {lines}</source>
        <translation>読み上げられる文字のない行を飛ばしました: {lines}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source> — using the built-in voice meanwhile</source>
        <translation> — その間は内蔵音声を使います</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not load the voice</source>
        <translation>音声を読み込めませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Could not synthesize</source>
        <translation>音声合成できませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comparison failed</source>
        <translation>比較に失敗しました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not import</source>
        <translation>読み込めませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not remove</source>
        <translation>削除できませんでした</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export failed</source>
        <translation>書き出しに失敗しました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;{what}:&lt;/b&gt; {message}</source>
        <translation>&lt;b&gt;{what}:&lt;/b&gt; {message}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{what}: {message}</source>
        <translation>{what}: {message}</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Ready: {voice}</source>
        <translation>準備完了: {voice}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>UI max gap: {ms:.0f} ms ({parts})</source>
        <translation>UI 最大停止: {ms:.0f} ms（{parts}）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the voice</source>
        <translation>この音声</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the text is empty: type some Japanese to speak</source>
        <translation>テキストが空です: 読み上げる日本語を入力してください</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Comparing: {message}</source>
        <translation>比較中: {message}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Comparison done</source>
        <translation>比較が完了しました</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No audio device</source>
        <translation>オーディオデバイスなし</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no audio output device</source>
        <translation>音声出力デバイスがありません</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No audio output: {reason}. Playback is off; synthesizing and saving WAV/FLAC still work.</source>
        <translation>音声出力なし: {reason}。再生はできませんが、音声合成と WAV/FLAC の保存はできます。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No audio output device</source>
        <translation>音声出力デバイスがありません</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&lt;b&gt;Could not save:&lt;/b&gt; {error}</source>
        <translation>&lt;b&gt;保存できませんでした:&lt;/b&gt; {error}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved {path}</source>
        <translation>{path} に保存しました</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>FLAC audio (*.flac)</source>
        <translation>FLAC 音声 (*.flac)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save audio</source>
        <translation>音声の保存</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+184"/>
        <source>WAV audio (*.wav)</source>
        <translation>WAV 音声 (*.wav)</translation>
    </message>
    <message>
        <location line="-159"/>
        <source>Text file to export</source>
        <translation>書き出すテキストファイル</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text files (*.txt)</source>
        <translation>テキストファイル (*.txt)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>すべてのファイル (*)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Folder for the WAV files</source>
        <translation>WAV ファイルの保存先フォルダ</translation>
    </message>
    <message>
        <location line="+14"/>
        <source> and {name}</source>
        <translation>と {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>; {count} unreadable line(s) skipped</source>
        <translation>。読み上げられない {count} 行を飛ばしました</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Export stopped&lt;/b&gt; after {files} file(s); they are kept in {folder}{skipped}</source>
        <translation>&lt;b&gt;書き出しを中止しました&lt;/b&gt;（{files} ファイル書き出し済み。{folder} に残してあります）{skipped}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;Exported&lt;/b&gt; {files} file(s){joined} to {folder}: {seconds:.1f} s of audio{rtf}{skipped}</source>
        <translation>&lt;b&gt;書き出しました&lt;/b&gt;: {files} ファイル{joined}を {folder} へ。音声 {seconds:.1f} 秒{rtf}{skipped}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export stopped</source>
        <translation>書き出しを中止しました</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export done</source>
        <translation>書き出しが完了しました</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wrote {path}</source>
        <translation>{path} に書き出しました</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No requests to export yet</source>
        <translation>書き出すリクエストがまだありません</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export latency</source>
        <translation>レイテンシの書き出し</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
</context>
<context>
    <name>NoticeArea</name>
    <message>
        <location filename="../notices.py" line="+94"/>
        <source>Retry GPU</source>
        <translation>GPU を再試行</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&lt;b&gt;GPU fallback:&lt;/b&gt; </source>
        <translation>&lt;b&gt;GPU から切り替え:&lt;/b&gt; </translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../widgets.py" line="+50"/>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
</context>
<context>
    <name>Parameters</name>
    <message>
        <location filename="../i18n.py" line="-41"/>
        <source>Style strength</source>
        <translation>スタイルの強さ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How strongly the chosen style colours the voice</source>
        <translation>選んだスタイルを声にどれだけ強く反映するか</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SDP ratio</source>
        <translation>SDP 比率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mix of the stochastic duration predictor (more varied rhythm)</source>
        <translation>確率的な長さ予測器（SDP）を混ぜる割合（大きいほどリズムに変化が出ます）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Noise</source>
        <translation>ノイズ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Variation in the voice itself</source>
        <translation>声そのもののゆらぎ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Noise_W</source>
        <translation>ノイズ_W</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Variation in phoneme lengths (from the stochastic duration predictor: no effect while SDP ratio is 0)</source>
        <translation>音素の長さのばらつき（確率的継続長予測器によるもの。SDP 比が 0 のときは効きません）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Length (1/speed)</source>
        <translation>長さ（1/話速）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Above 1 speaks slower, below 1 faster</source>
        <translation>1 より大きいとゆっくり、小さいと速く話します</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loudness of the speech (1: as the voice makes it)</source>
        <translation>音声の大きさ（1: モデルの出力どおり）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Silence before (s)</source>
        <translation>開始前の無音（秒）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seconds of silence before the speech</source>
        <translation>音声の前に入れる無音の秒数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Silence after (s)</source>
        <translation>終了後の無音（秒）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seconds of silence after the speech</source>
        <translation>音声の後に入れる無音の秒数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assist weight</source>
        <translation>アシストの強さ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How much of the assist text&apos;s feel is blended in</source>
        <translation>アシストテキストの雰囲気をどれだけ混ぜるか</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line pause (s)</source>
        <translation>行間の無音（秒）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seconds of silence between lines</source>
        <translation>行と行の間に入れる無音の秒数</translation>
    </message>
</context>
<context>
    <name>PhraseBlock</name>
    <message>
        <location filename="../accent_editor.py" line="-266"/>
        <source>The words of the text this phrase was read from</source>
        <translation>このアクセント句の元になったテキストの単語</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{0}: high (click to flip)</source>
        <translation>{0}: 高（クリックで切り替え）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{0}: low (click to flip)</source>
        <translation>{0}: 低（クリックで切り替え）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Punctuation: a pause</source>
        <translation>句読点: ポーズ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The reading in katakana: type and press Enter to change how it is read</source>
        <translation>カタカナの読み: 入力して Enter を押すと読み方が変わります</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>◀</source>
        <translation>◀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move the accent nucleus one mora earlier</source>
        <translation>アクセント核を 1 モーラ前へ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>▶</source>
        <translation>▶</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move the accent nucleus one mora later</source>
        <translation>アクセント核を 1 モーラ後ろへ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Split</source>
        <translation>分割</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Split this phrase at the word border nearest its middle (right-click a mora to split before it)</source>
        <translation>中央に最も近い単語の境目でこの句を分割します（モーラを右クリックするとその前で分割）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Join →</source>
        <translation>結合 →</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Join this phrase with the next one</source>
        <translation>この句を次の句と結合します</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add to dictionary</source>
        <translation>辞書に登録</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep this reading and accent for these words in the user dictionary</source>
        <translation>この読みとアクセントをユーザー辞書に登録します</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Accent nucleus here (fall after it)</source>
        <translation>ここをアクセント核にする（この後で下がる）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split the phrase before this mora</source>
        <translation>このモーラの前で句を分割</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <location filename="../playback.py" line="+21"/>
        <source> (default)</source>
        <translation>（既定）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>the PortAudio library could not be loaded ({error})</source>
        <translation>PortAudio ライブラリを読み込めませんでした（{error}）</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>the audio system could not list devices ({error})</source>
        <translation>オーディオシステムがデバイス一覧を取得できませんでした（{error}）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>no audio output device was found</source>
        <translation>音声出力デバイスが見つかりませんでした</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>no audio output device</source>
        <translation>音声出力デバイスがありません</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot play: {reason}</source>
        <translation>再生できません: {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>cannot play on this device: {error}</source>
        <translation>このデバイスでは再生できません: {error}</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>audio output is switched off (SBV2_STUDIO_NO_AUDIO)</source>
        <translation>音声出力はオフになっています（SBV2_STUDIO_NO_AUDIO）</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <location filename="../core_text.py" line="-68"/>
        <source>Loading {name}…</source>
        <translation>{name} を読み込んでいます…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warming up {done}/{total}</source>
        <translation>ウォームアップ中 {done}/{total}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warming up {done}/{total} ({ms} ms)</source>
        <translation>ウォームアップ中 {done}/{total}（{ms} ms）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Getting streaming ready (the first time splits the voice&apos;s graph)…</source>
        <translation>ストリーミングを準備しています（初回は音声のグラフを分割します）…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warming up streaming…</source>
        <translation>ストリーミングをウォームアップしています…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exporting {count} lines to {folder}…</source>
        <translation>{count} 行を {folder} に書き出しています…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Converting {name}: {step}…</source>
        <translation>{name} を変換中: {step}…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Measuring the fastest backends within the fidelity limits…</source>
        <translation>忠実度の基準内で最速のバックエンドを測定しています…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>reading {file} and {other}</source>
        <translation>{file} と {other} を読み込み中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reading {file}</source>
        <translation>{file} を読み込み中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>building the synthesizer graph</source>
        <translation>合成器のグラフを組み立て中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>writing the ONNX graph</source>
        <translation>ONNX グラフを書き込み中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>checking the converted voice</source>
        <translation>変換した音声を確認中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done</source>
        <translation>完了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>[{done}/{total}] {detail}  elapsed {elapsed}  ETA {eta}</source>
        <translation>[{done}/{total}] {detail}  経過 {elapsed}  残り約 {eta}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[{done}/{total}] {detail}  elapsed {elapsed}</source>
        <translation>[{done}/{total}] {detail}  経過 {elapsed}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[{done}] {detail}  elapsed {elapsed}</source>
        <translation>[{done}] {detail}  経過 {elapsed}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file}  {audio} s audio in {seconds} s (RTF {rtf})</source>
        <translation>{file}  音声 {audio} 秒を {seconds} 秒で合成（RTF {rtf}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file}  {audio} s audio in {seconds} s</source>
        <translation>{file}  音声 {audio} 秒を {seconds} 秒で合成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file}  {audio} s audio (already done)</source>
        <translation>{file}  音声 {audio} 秒（書き出し済み）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>line {number} skipped: {error}</source>
        <translation>{number} 行目を飛ばしました: {error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{config}: loading…</source>
        <translation>{config}: 読み込み中…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{config}: skipped</source>
        <translation>{config}: スキップ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{config}: ready</source>
        <translation>{config}: 準備完了</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{config}: warm-up {done}/{total}</source>
        <translation>{config}: ウォームアップ {done}/{total}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{config}: run {done}/{total}</source>
        <translation>{config}: 計測 {done}/{total}</translation>
    </message>
</context>
<context>
    <name>Stages</name>
    <message>
        <location filename="../i18n.py" line="+25"/>
        <source>frontend</source>
        <translation>前処理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokenize</source>
        <translation>トークン化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bert</source>
        <translation>BERT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>align</source>
        <translation>整列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>synthesize</source>
        <translation>音声合成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>postprocess</source>
        <translation>後処理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>total</source>
        <translation>合計</translation>
    </message>
</context>
<context>
    <name>TakesPanel</name>
    <message>
        <location filename="../takes_panel.py" line="+39"/>
        <source>Takes</source>
        <translation>テイク</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The noise&apos;s seed: the same seed, text and settings give the same take again</source>
        <translation>ノイズのシード: 同じシード・テキスト・設定なら同じテイクがもう一度得られます</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock</source>
        <translation>固定</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep this seed for every request (unlocked: each request draws a new one)</source>
        <translation>このシードをすべての合成で使います（固定しないと毎回新しいシード）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New take</source>
        <translation>新しいテイク</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock the seed: the next request draws a new one</source>
        <translation>シードの固定を外し、次の合成で新しいシードを使います</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Play</source>
        <translation>再生</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A/B</source>
        <translation>A/B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play the two selected takes one after the other</source>
        <translation>選んだ 2 つのテイクを続けて再生します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restore</source>
        <translation>復元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put this take&apos;s text and settings back, its seed locked</source>
        <translation>このテイクのテキストと設定を戻し、シードを固定します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>#{0} {1} · {2:.2f} s · seed {3} · {4}</source>
        <translation>#{0} {1} · {2:.2f} 秒 · シード {3} · {4}</translation>
    </message>
</context>
<context>
    <name>VoicePanel</name>
    <message>
        <location filename="../voice_panel.py" line="+53"/>
        <source>Voice</source>
        <translation>音声</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Import a voice (a model folder or .aivmx file)</source>
        <translation>音声を読み込む（モデルフォルダまたは .aivmx ファイル）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Speaker</source>
        <translation>話者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Style</source>
        <translation>スタイル</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Parameters</source>
        <translation>パラメータ</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>noise_w acts only when SDP ratio &gt; 0</source>
        <translation>ノイズ_W は SDP 比率 &gt; 0 のときだけ効きます</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reset to defaults</source>
        <translation>既定値に戻す</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Advanced</source>
        <translation>詳細設定</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show assist text, line options</source>
        <translation>アシストテキスト・行の設定を表示</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Text whose feeling the speech takes on</source>
        <translation>この文の雰囲気を音声に反映します</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Assist text</source>
        <translation>アシストテキスト</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Speak each line separately</source>
        <translation>行ごとに分けて読み上げる</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pause between lines</source>
        <translation>行間の無音</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Not used by {voice}</source>
        <translation>{voice} では使われません</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the voice</source>
        <translation>この音声</translation>
    </message>
</context>
<context>
    <name>WaveformView</name>
    <message>
        <location filename="../waveform.py" line="+37"/>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No audio yet — type some text and press Ctrl+Enter</source>
        <translation>まだ音声はありません — テキストを入力して Ctrl+Enter を押してください</translation>
    </message>
</context>
</TS>
