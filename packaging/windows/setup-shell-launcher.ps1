# Makes Hongtu the shell of a dedicated kiosk account with Shell Launcher (its WMI class WESL_UserSetting).
# Run as Administrator on Windows 10/11 Enterprise, Education or IoT Enterprise.
param(
  [string]$User = "HongtuKiosk",
  [string]$Exe = "C:\Program Files\Hongtu\hongtu.exe",
  [string]$Config = "C:\ProgramData\Hongtu\kiosk_config.yaml"
)
$ErrorActionPreference = "Stop"
if (-not (Test-Path $Exe)) { throw "No build at ${Exe}: copy dist\hongtu there first." }

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
# DefaultAction 0 = restart the shell whenever it exits, whatever its exit code (no custom return
# codes): a crash brings the kiosk straight back. Crash loops are the kiosk's own business (safe
# mode after 5 starts in a row that never ran healthily, docs/operations.md).
$RestartShell = 0
$launcher.SetCustomShell($sid, $shell, ($null), ($null), $RestartShell) | Out-Null
# Everyone else keeps Explorer.
$launcher.SetDefaultShell("explorer.exe", $RestartShell) | Out-Null
# Shell Launcher restarts the kiosk on every exit: that arms its daily restart at closing time
# (ops.daily_restart, docs/operations.md).
[Environment]::SetEnvironmentVariable("HONGTU_SUPERVISED", "1", "Machine")
powercfg /change monitor-timeout-ac 0
powercfg /change standby-timeout-ac 0
Write-Host "Shell Launcher set for $User. Reboot and sign in as $User."
