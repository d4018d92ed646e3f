# Keeps the Hongtu kiosk running for the scheduled-task fallback (Windows Pro): runs it, waits for it
# to exit, and runs it again after a short pause, forever (like systemd's Restart=always). Task
# Scheduler's own "restart on failure" only retries a task that fails to start, never a program that
# crashes, hence this loop. Crash loops are the kiosk's business: after 5 starts in a row that never
# ran healthily it starts in safe mode (docs/operations.md). setup-scheduled-task.ps1 installs this
# file next to hongtu.exe and makes it the task's action.
param(
  [string]$Exe = (Join-Path $PSScriptRoot "hongtu.exe"),
  [string]$Config = "C:\ProgramData\Hongtu\kiosk_config.yaml",
  [int]$DelaySeconds = 3
)
$ErrorActionPreference = "Continue"
$logDir = Join-Path $env:LOCALAPPDATA "Hongtu"
New-Item -ItemType Directory -Force -Path $logDir | Out-Null
$log = Join-Path $logDir "kiosk-loop.log"
$env:HONGTU_SUPERVISED = "1"  # this loop starts the kiosk again: its daily restart (ops.daily_restart) is armed
while ($true) {
  $started = Get-Date
  try {
    & $Exe run --config $Config  # a console program: the call waits until it exits
    $result = "exit code $LASTEXITCODE"
  } catch {
    $result = "not started: $($_.Exception.Message)"
  }
  $seconds = [int]((Get-Date) - $started).TotalSeconds
  $line = "{0:u} hongtu.exe stopped ({1}) after {2} s; starting it again in {3} s" -f (Get-Date), $result, $seconds, $DelaySeconds
  Add-Content -Path $log -Value $line -ErrorAction SilentlyContinue
  Start-Sleep -Seconds $DelaySeconds
}
