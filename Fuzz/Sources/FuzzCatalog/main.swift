import FuzzDriver

// libFuzzer on FuzzTarget.catalog (Tests/FuzzHarness/FuzzHarness.swift). Run by scripts/fuzz.sh.
runFuzzer(.catalog)
