"""The command line: thin; every decision lives in the packages below it."""
