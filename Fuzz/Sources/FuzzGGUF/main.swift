import FuzzDriver

// libFuzzer on FuzzTarget.gguf (Tests/FuzzHarness/FuzzHarness.swift). Run by scripts/fuzz.sh.
runFuzzer(.gguf)
