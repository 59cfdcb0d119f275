; SBV2 Studio - Windows installer (Inno Setup 6). Per-user: no administrator rights, installs into
; %LOCALAPPDATA%\Programs\SBV2 Studio, Start-menu and desktop shortcuts, uninstaller in Settings > Apps.
;
; Built by `python packaging/build.py --installer` (after PyInstaller), or by hand from the repository root:
;   iscc /DFlavour=directml /DAppVersion=0.1.0 packaging\windows\sbv2-studio.iss
;   iscc /DFlavour=cuda     /DAppVersion=0.1.0 packaging\windows\sbv2-studio.iss
;
; Flavours (one onnxruntime package per build, because they overwrite each other):
;   directml  CPU + DirectML (onnxruntime-directml): any DirectX 12 GPU; the default download
;   cuda      CPU + CUDA     (onnxruntime-gpu): NVIDIA GPUs with CUDA 13 + cuDNN 9 installed (onnxruntime-gpu >= 1.27;
;             a build with onnxruntime-gpu < 1.27 needs CUDA 12 instead: see docs/packaging.md)
; Both install to the same folder under the same AppId: installing one replaces the other (its _internal folder is
; removed first, so files of two flavours or two versions never mix).
;
; Models, the BERT, caches (%LOCALAPPDATA%\sbv2-studio) and settings (%APPDATA%\sbv2-studio) live in the user's
; folders, never in {app}; the uninstaller leaves them (they are the user's downloads and choices).

#ifndef Flavour
  #define Flavour "directml"
#endif
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppVersionNumeric
  ; Windows file versions are up to four numbers (a version like 1.2.0rc1 is passed as 1.2.0.0)
  #define AppVersionNumeric AppVersion
#endif
#ifndef SourceDir
  #define SourceDir SourcePath + "..\..\dist\sbv2-studio"
#endif
#ifndef IconFile
  #define IconFile SourcePath + "..\icons\sbv2-studio.ico"
#endif

#if Flavour == "directml"
  #define FlavourName "CPU + DirectML"
  #define OutputSuffix ""
#elif Flavour == "cuda"
  #define FlavourName "CUDA"
  #define OutputSuffix "-cuda"
#elif Flavour == "cpu"
  #define FlavourName "CPU"
  #define OutputSuffix "-cpu"
#else
  #error Unknown Flavour: use /DFlavour=directml or /DFlavour=cuda
#endif

#define AppName "SBV2 Studio"
#define AppExe "sbv2-studio.exe"

[Setup]
; One AppId for every flavour and version: an install of either replaces the other, and updates in place.
AppId={{5B2E3C1D-8F47-4C62-9A1E-3D7B5F0C9E21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion} ({#FlavourName})
AppPublisher=SBV2 Studio contributors
VersionInfoVersion={#AppVersionNumeric}
VersionInfoDescription={#AppName} {#FlavourName} setup
; Per-user install: never asks for administrator rights; {localappdata}\Programs is where per-user apps go.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsedUserAreasWarning=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Windows 10 1903+: the app's manifest sets the UTF-8 code page (Japanese paths in C libraries).
MinVersion=10.0.18362
OutputDir={#SourcePath}..\..\dist\installer
OutputBaseFilename=SBV2-Studio-{#AppVersion}{#OutputSuffix}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} ({#FlavourName})
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
LZMAUseSeparateProcess=yes
; Close a running copy before replacing its files.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; The previous bundle (another version or flavour) goes first. Only the install folder: user data is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; WorkingDir is the user's Documents, so nothing relative ever lands in the install folder.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "Japanese speech synthesis studio (Style-Bert-VITS2)"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; WorkingDir: "{userdocs}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: dirifempty; Name: "{app}"

#if Flavour == "cuda"
[Code]
function InitializeSetup(): Boolean;
begin
  Result := True;
  { nvcuda.dll comes with the NVIDIA driver. Without it the CUDA build still works, on the CPU only. }
  if not FileExists(ExpandConstant('{sys}\nvcuda.dll')) then
    Result := SuppressibleMsgBox(
      'No NVIDIA driver was found on this PC. This is the CUDA build of SBV2 Studio: it needs an NVIDIA GPU ' +
      'with CUDA 13 and cuDNN 9 installed, and otherwise runs on the CPU only. The CPU + DirectML build suits ' +
      'most PCs (any DirectX 12 GPU).' + #13#10#13#10 + 'Install the CUDA build anyway?',
      mbConfirmation, MB_YESNO, IDYES) = IDYES;
end;
#endif
