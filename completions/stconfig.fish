# fish completion for stconfig: `stconfig completion fish` prints it;
# it runs stconfig to complete commands, options, option keys and values.

complete --command stconfig --no-files --arguments "(env _STCONFIG_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args _TYPER_COMPLETE_ARGS=(commandline -cp) stconfig)" --condition "env _STCONFIG_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=is-args _TYPER_COMPLETE_ARGS=(commandline -cp) stconfig"
