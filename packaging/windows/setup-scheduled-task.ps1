# Fallback for Windows Pro: start Hongtu at logon of the kiosk account and restart it if it stops.
param(
  [string]$User = "HongtuKiosk",
  [string]$Exe = "C:\Program Files\Hongtu\hongtu.exe",
  [string]$Config = "C:\ProgramData\Hongtu\kiosk_config.yaml"
)
$ErrorActionPreference = "Stop"
$action = New-ScheduledTaskAction -Execute $Exe -Argument "run --config `"$Config`""
$trigger = New-ScheduledTaskTrigger -AtLogOn -User $User
$settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
  -ExecutionTimeLimit ([TimeSpan]::Zero) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
Register-ScheduledTask -TaskName "Hongtu Kiosk" -Action $action -Trigger $trigger -Settings $settings -User $User -Force | Out-Null
powercfg /change monitor-timeout-ac 0
powercfg /change standby-timeout-ac 0
Write-Host "Task 'Hongtu Kiosk' registered for $User."
