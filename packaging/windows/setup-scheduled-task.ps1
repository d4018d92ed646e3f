# Fallback for Windows Pro: at logon of the kiosk account, a task runs kiosk-loop.ps1, which starts
# Hongtu and starts it again whenever it exits (a crash included). Run as Administrator.
param(
  [string]$User = "HongtuKiosk",
  [string]$Exe = "C:\Program Files\Hongtu\hongtu.exe",
  [string]$Config = "C:\ProgramData\Hongtu\kiosk_config.yaml"
)
$ErrorActionPreference = "Stop"
if (-not (Test-Path $Exe)) { throw "No build at ${Exe}: copy dist\hongtu there first." }
# The loop lives next to hongtu.exe (Program Files: only administrators can change it).
$loop = Join-Path (Split-Path $Exe) "kiosk-loop.ps1"
Copy-Item -Path (Join-Path $PSScriptRoot "kiosk-loop.ps1") -Destination $loop -Force
$arguments = "-NoProfile -NonInteractive -ExecutionPolicy Bypass -WindowStyle Hidden -File `"$loop`" -Exe `"$Exe`" -Config `"$Config`""
$action = New-ScheduledTaskAction -Execute "powershell.exe" -Argument $arguments
$trigger = New-ScheduledTaskTrigger -AtLogOn -User $User
$principal = New-ScheduledTaskPrincipal -UserId $User -LogonType Interactive -RunLevel Limited
# RestartCount (1-255) only covers the task itself failing to start (powershell.exe missing, …);
# the loop restarts the kiosk. No time limit; one instance only.
$settings = New-ScheduledTaskSettingsSet -RestartCount 255 -RestartInterval (New-TimeSpan -Minutes 1) `
  -ExecutionTimeLimit ([TimeSpan]::Zero) -MultipleInstances IgnoreNew -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
Register-ScheduledTask -TaskName "Hongtu Kiosk" -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Force | Out-Null
powercfg /change monitor-timeout-ac 0
powercfg /change standby-timeout-ac 0
Write-Host "Task 'Hongtu Kiosk' registered for $User; it runs $loop at logon."
