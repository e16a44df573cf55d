"""Regional boards: councils' reports combined into a summary that names no worker."""
