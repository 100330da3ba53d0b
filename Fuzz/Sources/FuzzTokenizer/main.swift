import FuzzDriver

// libFuzzer on FuzzTarget.tokenizer (Tests/FuzzHarness/FuzzHarness.swift). Run by scripts/fuzz.sh.
runFuzzer(.tokenizer)
