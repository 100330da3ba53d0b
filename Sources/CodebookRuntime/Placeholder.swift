// The CodebookRuntime module: its code arrives with its issue (see `issues`).
