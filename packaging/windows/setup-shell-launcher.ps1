# Makes Hongtu the shell of a dedicated kiosk account with Shell Launcher v2.
# Run as Administrator on Windows 10/11 Enterprise or IoT Enterprise.
param(
  [string]$User = "HongtuKiosk",
  [string]$Exe = "C:\Program Files\Hongtu\hongtu.exe",
  [string]$Config = "C:\ProgramData\Hongtu\kiosk_config.yaml"
)
$ErrorActionPreference = "Stop"
if (-not (Test-Path $Exe)) { throw "No build at $Exe: copy dist\hongtu there first." }

if (-not (Get-LocalUser -Name $User -ErrorAction SilentlyContinue)) {
  $pw = Read-Host -AsSecureString "Password for $User"
  New-LocalUser -Name $User -Password $pw -PasswordNeverExpires -AccountNeverExpires | Out-Null
}
Enable-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher -All -NoRestart | Out-Null

$sid = (Get-LocalUser -Name $User).SID.Value
$shell = "`"$Exe`" run --config `"$Config`""
$ns = "root\standardcimv2\embedded"
$launcher = [wmiclass]"\\localhost\${ns}:WESL_UserSetting"
$launcher.SetEnabled($true) | Out-Null
# Action 0 = restart the shell when it exits (a crash brings the kiosk straight back).
$launcher.SetCustomShell($sid, $shell, ($null), ($null), 0) | Out-Null
# Everyone else keeps Explorer.
$launcher.SetDefaultShell("explorer.exe", 0) | Out-Null
powercfg /change monitor-timeout-ac 0
powercfg /change standby-timeout-ac 0
Write-Host "Shell Launcher set for $User. Reboot and sign in as $User."
