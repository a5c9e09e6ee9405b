"""The command line: options mapped to the library's calls (main), help and messages in
Swedish (help_text), the progress bar."""
