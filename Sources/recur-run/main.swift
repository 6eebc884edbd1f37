import RecurRuntime

// recur-run: the board binary. See HelpText.swift for the interface and
// RecurRun.swift for the flow.
let code = RecurRun.run(arguments: Platform.arguments())
Platform.exit(code.rawValue)
