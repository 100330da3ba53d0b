import FuzzDriver

// libFuzzer on FuzzTarget.codebook (Tests/FuzzHarness/FuzzHarness.swift). Run by scripts/fuzz.sh.
runFuzzer(.codebook)
