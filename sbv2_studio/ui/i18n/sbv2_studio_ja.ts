<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AccentEditor</name>
    <message>
        <location filename="../accent_editor.py" line="+137"/>
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
        <location filename="../backends_panel.py" line="+12"/>
        <source>Synthesizer</source>
        <translation>音声合成器</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Backends</source>
        <translation>バックエンド</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+87"/>
        <source>ran on: —</source>
        <translation>実行先: —</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>Retry GPU</source>
        <translation>GPU を再試行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare backends…</source>
        <translation>バックエンドを比較…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source> (emulated)</source>
        <translation>（エミュレート）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reduced precision: faster, close to FP32 (Compare backends measures how close)</source>
        <translation>低い精度: 速く、FP32 に近い結果になります（どれだけ近いかは「バックエンドを比較」で測れます）</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Not used by {voice}</source>
        <translation>{voice} では使われません</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the voice</source>
        <translation>この音声</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose a GPU backend for a stage first</source>
        <translation>先にどれかの段階で GPU バックエンドを選んでください</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ran on: CPU (built-in voice)</source>
        <translation>実行先: CPU（内蔵音声）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>ran on: {where}</source>
        <translation>実行先: {where}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>  ⚠ fell back</source>
        <translation>  ⚠ フォールバック</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <location filename="../compare.py" line="+36"/>
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
        <location line="+11"/>
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
        <location line="+28"/>
        <source>skipped: {reason}</source>
        <translation>スキップ: {reason}</translation>
    </message>
    <message>
        <location line="+16"/>
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
        <location filename="../dictionary_dialog.py" line="+43"/>
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
        <location line="+19"/>
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
        <location filename="../download_dialog.py" line="+31"/>
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
    <name>Jobs</name>
    <message>
        <location filename="../i18n.py" line="+57"/>
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
</context>
<context>
    <name>LatencyPanel</name>
    <message>
        <location filename="../latency_panel.py" line="+100"/>
        <location line="+245"/>
        <source>No request yet</source>
        <translation>まだリクエストはありません</translation>
    </message>
    <message>
        <location line="-238"/>
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
        <location line="+317"/>
        <source>Recent requests (ms)</source>
        <translation>最近のリクエスト（ms）</translation>
    </message>
    <message>
        <location line="-315"/>
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
        <location line="+75"/>
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
        <location line="+126"/>
        <source>not played</source>
        <translation>未再生</translation>
    </message>
    <message>
        <location line="-124"/>
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
        <location line="+40"/>
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
        <location line="+38"/>
        <source>cold</source>
        <translation>初回</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="+78"/>
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
        <location line="+148"/>
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
        <location line="+21"/>
        <location line="+135"/>
        <source>Synthesize</source>
        <translation>音声合成</translation>
    </message>
    <message>
        <location line="-130"/>
        <location line="+133"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location line="-130"/>
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
        <location line="+66"/>
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
        <location line="+796"/>
        <source>About SBV2 Studio</source>
        <translation>SBV2 Studio について</translation>
    </message>
    <message>
        <location line="-787"/>
        <source>Language</source>
        <translation>言語 (Language)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The language applies the next time SBV2 Studio starts.</source>
        <translation>言語の設定は、次に SBV2 Studio を起動したときに反映されます。</translation>
    </message>
    <message>
        <location line="+54"/>
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
        <location line="+11"/>
        <source>SBV2 Studio — {voice}</source>
        <translation>SBV2 Studio — {voice}</translation>
    </message>
    <message>
        <location line="+31"/>
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
        <location line="+10"/>
        <source>Removed {voice} from the library.</source>
        <translation>{voice} をライブラリから削除しました。</translation>
    </message>
    <message>
        <location line="+503"/>
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
        <location line="-924"/>
        <source>Import .aivmx or .safetensors file…</source>
        <translation>.aivmx / .safetensors ファイルを読み込む…</translation>
    </message>
    <message>
        <location line="+373"/>
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
        <location line="+18"/>
        <source>Retrying the GPU…</source>
        <translation>GPU を再試行しています…</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+295"/>
        <source>Type some text first</source>
        <translation>先にテキストを入力してください</translation>
    </message>
    <message>
        <location line="-255"/>
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
        <location line="+19"/>
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
        <location line="+4"/>
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
        <location line="+22"/>
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
        <location line="+15"/>
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
        <location line="+180"/>
        <source>WAV audio (*.wav)</source>
        <translation>WAV 音声 (*.wav)</translation>
    </message>
    <message>
        <location line="-155"/>
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
        <location filename="../i18n.py" line="-39"/>
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
    <name>Stages</name>
    <message>
        <location filename="../i18n.py" line="+23"/>
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
        <location filename="../takes_panel.py" line="+38"/>
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
        <location filename="../voice_panel.py" line="+52"/>
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
    <message>
        <location line="+37"/>
        <source>{voice} (broken)</source>
        <translation>{voice}（壊れています）</translation>
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
