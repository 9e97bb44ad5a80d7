"""The `momentum` command line: runs the processes and administrative tasks; imports bootstrap and settings."""
