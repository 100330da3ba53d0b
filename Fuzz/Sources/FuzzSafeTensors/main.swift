import FuzzDriver

// libFuzzer on FuzzTarget.safetensors (Tests/FuzzHarness/FuzzHarness.swift). Run by scripts/fuzz.sh.
runFuzzer(.safetensors)
