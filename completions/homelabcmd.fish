# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_homelabcmd_global_optspecs
    string join \n repo= rev= worktree db= o/output= no-color q/quiet v/verbose h/help V/version
end

function __fish_homelabcmd_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_homelabcmd_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_homelabcmd_using_subcommand
    set -l cmd (__fish_homelabcmd_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "init" -d 'Create a fleet repository: git init, a commented fleet.yaml, the Base, Developer Lite and Developer Max packs, and a first commit'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "validate" -d 'Check fleet.yaml and packs/ and report every problem at once'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "status" -d 'Show the fleet\'s health: one row per machine, and a summary line'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "history" -d 'Show how a metric of one machine moved: a terminal sparkline with min/avg/max, or the series with -o json'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "machines" -d 'List the machines of the fleet, in fleet.yaml order'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "cost" -d 'Show what the fleet costs to run: per machine its watts (tdp_w), hours on a day, kWh and cost a day and a month, and the totals for servers, workstations and all'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "packs" -d 'List the config packs, or show one resolved with everything it inherits'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "alerts" -d 'The alerts raised by `serve`: open, acknowledged and stale ones, newest first'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "actions" -d 'The remediation actions alerts brought: pending, approved, running and failed ones, newest first'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "check" -d 'Exit 0 when no alert at or above --fail-on is open (or acknowledged), 1 when one is'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "pause" -d 'Put a machine in maintenance mode: shown beside its state in `status` and `machines`; its alerts are neither raised nor notified while it lasts'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "resume" -d 'Take a machine out of maintenance mode'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "diff" -d 'Show where machines drift from their packs: missing files, content (as a unified diff), modes, owners, directories, packages and versions'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "apply" -d 'Apply the packs: write missing or changed files, create directories, fix modes and owners, install packages (one apt-get call, through sudo)'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "sync" -d 'Fetch the fleet repository\'s remote and fast-forward the checked-out branch to it'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "compliance" -d 'Show each machine\'s compliance with its packs as last checked by `diff` or `apply`'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "exec" -d 'Run a command from the whitelist on one machine, a group, or many'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "discover" -d 'Find machines and add them to fleet.yaml'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "hosts" -d 'Host keys: pinned in `known_hosts` at the root of the fleet repository'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "audit" -d 'The audit trail: every exec, apply, trust and secret change, newest first'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "notify" -d 'Notification targets (fleet.yaml `defaults.notify`, and SLACK_WEBHOOK_URL)'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "serve" -d 'Run the hub: take agents\' heartbeats on POST /api/v1/heartbeat and keep them in SQLite'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "healthcheck" -d 'Ask a running hub whether it is healthy: GET its /healthz, needing no shell tools'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "demo" -d 'Show the status page with a living fleet: a hub on 127.0.0.1 with a scratch database in a temporary directory, the repository\'s fleet with simulated history, and the real agent reporting this very machine as one of the fleet\'s'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "agent" -d 'Work with agents'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "db" -d 'Work with the local database'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "secrets" -d 'Keep secrets encrypted in the fleet repository, for fleet.yaml\'s `secret:NAME`'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "generate-docs" -d 'Write completions/ and man/ under DIR'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "debug-fill" -d 'Fill the store with simulated samples for the fleet\'s first N machines'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand init" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand validate" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand status" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -s m -l metric -d 'cpu, ram, disk (the fullest), disk:/MOUNT, load or net' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -l since -d 'How far back: 24h, 7d, 30d, 90d… (at most 365d)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -l width -d 'Width of the sparkline in cells' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand history" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -l type -d 'Only machines of this type' -r -f -a "server\t''
workstation\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -l tag -d 'Only machines with this tag (repeat: all must match)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand machines" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -l since -d 'Measure workstations over this period: 7d, 30d, 90d… (at most 365d)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand cost" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Show a pack resolved: every file, directory and package, and the pack it comes from'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a pack resolved: every file, directory and package, and the pack it comes from'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -l machine -d 'Only this machine\'s alerts' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -l severity -d 'Only alerts at or above this severity' -r -f -a "low\t''
medium\t''
high\t''
critical\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -l all -d 'Resolved alerts too'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -f -a "show" -d 'One alert in full, with its history'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -f -a "ack" -d 'Acknowledge an alert: someone is on it; reminders stop'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -f -a "resolve" -d 'Resolve an alert by hand (if its condition holds, serve opens a new one)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and not __fish_seen_subcommand_from show ack resolve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from ack" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from resolve" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from help" -f -a "show" -d 'One alert in full, with its history'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from help" -f -a "ack" -d 'Acknowledge an alert: someone is on it; reminders stop'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from help" -f -a "resolve" -d 'Resolve an alert by hand (if its condition holds, serve opens a new one)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand alerts; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -l all -d 'Completed and rejected actions too'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -f -a "approve" -d 'Approve a pending (or failed) action and run it now, over SSH, audited'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -f -a "reject" -d 'Reject a pending (or failed) action: it will not run'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and not __fish_seen_subcommand_from approve reject help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from approve" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from reject" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from help" -f -a "approve" -d 'Approve a pending (or failed) action and run it now, over SSH, audited'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from help" -f -a "reject" -d 'Reject a pending (or failed) action: it will not run'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand actions; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -l fail-on -d 'The lowest severity that makes the check fail' -r -f -a "low\t''
medium\t''
high\t''
critical\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand check" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -l reason -d 'Why, shown beside the machine\'s state' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -l for -d 'End the pause by itself after this long (`30m`, `2h`, `1d`) [default: until `resume`]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand resume" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l tag -d 'Machines with this tag (repeat: all must match)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l type -d 'Only servers or only workstations' -r -f -a "server\t''
workstation\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l concurrency -d 'Machines checked at once' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l all -d 'Every machine of the fleet'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l stat -d 'One summary line per machine, no details'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand diff" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l tag -d 'Machines with this tag (repeat: all must match)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l type -d 'Only servers or only workstations' -r -f -a "server\t''
workstation\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l plan -d 'Apply only if the plan is still this one (the id `--dry-run` printed)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l concurrency -d 'Machines worked on at once' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l timeout -d 'How long installing packages may take on one machine (e.g. 90s, 45m, 2h); other steps keep the SSH command timeout' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l all -d 'Every machine of the fleet'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l dry-run -d 'Show the plan and change nothing'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -s y -l yes -d 'Apply without asking (needed when stdin is not a terminal)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand apply" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -l remote -d 'The remote to fetch (a name or URL) [default: the branch\'s upstream remote, else origin]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -l branch -d 'The remote\'s branch to follow [default: the upstream branch, else the local branch\'s name]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand sync" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand compliance" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l tag -d 'Machines with this tag (repeat: all must match)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l type -d 'Only servers or only workstations' -r -f -a "server\t''
workstation\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l concurrency -d 'Machines worked on at once' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l timeout -d 'Per-machine command timeout (e.g. 30s, 5m) [default: ssh.command_timeout, else 60s]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l connect-timeout -d 'Connect timeout [default: ssh.connect_timeout, else 5s]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l all -d 'Every machine of the fleet'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l list -d 'List the whitelist and exit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand exec" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -f -a "tailscale" -d 'List the tailnet\'s devices: name, addresses, OS, online or last seen, tags, the fleet machine each already is, and what SSH on it answers (its banner and host key)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -f -a "network" -d 'Probe a network range (TCP connect, no root) for hosts with open ports'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -f -a "ssh" -d 'Scan one device over SSH: host name, OS, kernel, uptime, CPU, memory, disks, Docker, running services'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -f -a "history" -d 'The stored scans, newest first'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -f -a "show" -d 'One stored scan'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -f -a "agents" -d 'List machines whose agents send heartbeats to this hub but that fleet.yaml does not have: their machine id (the id to import them under), host name, OS and last heartbeat'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and not __fish_seen_subcommand_from tailscale network ssh history show agents help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l tailnet -d 'The tailnet (`-`: the token\'s default tailnet)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l api-url -d 'Tailscale\'s API' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l ssh-timeout -d 'How long SSH on one device may take to answer (connect, banner, host key)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l ssh-port -d 'The port SSH is checked on' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l import -d 'Add these candidates (by the id shown) to fleet.yaml in the work tree, for review' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l type -d 'The imported machines\' type' -r -f -a "server\t'Always on; offline when its agent stops reporting'
workstation\t'On only sometimes; never offline, only "last seen"'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l tdp -d 'The imported machines\' power draw in watts, for the electricity cost' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l packs -d 'Packs to assign to the imported machines (from packs/)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l tags -d 'Tags for the imported machines' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l no-ssh-check -d 'Do not check SSH'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from tailscale" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l ports -d 'TCP ports to probe' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l concurrency -d 'Connections at once (capped by the open-file limit)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l timeout -d 'Seconds to wait for a connection or a banner (a timeout is retried once)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l import -d 'Add these candidates (by the id shown) to fleet.yaml in the work tree, for review' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l type -d 'The imported machines\' type' -r -f -a "server\t'Always on; offline when its agent stops reporting'
workstation\t'On only sometimes; never offline, only "last seen"'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l tdp -d 'The imported machines\' power draw in watts, for the electricity cost' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l packs -d 'Packs to assign to the imported machines (from packs/)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l tags -d 'Tags for the imported machines' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -s n -l no-dns -d 'Do not look up the hosts\' names (reverse DNS)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l force -d 'Scan a range larger than a /16'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from network" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -s u -l user -d 'Log in as this user' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -s p -l port -d 'The SSH port' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -s i -l identity -d 'A private key file to log in with' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l connect-timeout -d 'Seconds to wait for the connection' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l import -d 'Add these candidates (by the id shown) to fleet.yaml in the work tree, for review' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l type -d 'The imported machines\' type' -r -f -a "server\t'Always on; offline when its agent stops reporting'
workstation\t'On only sometimes; never offline, only "last seen"'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l tdp -d 'The imported machines\' power draw in watts, for the electricity cost' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l packs -d 'Packs to assign to the imported machines (from packs/)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l tags -d 'Tags for the imported machines' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l accept-new-host-key -d 'Trust the host key a device not in known_hosts offers (for this scan; --import pins it)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from ssh" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -l limit -d 'Show at most this many' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l import -d 'Add these candidates (by the id shown) to fleet.yaml in the work tree, for review' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l type -d 'The imported machines\' type' -r -f -a "server\t'Always on; offline when its agent stops reporting'
workstation\t'On only sometimes; never offline, only "last seen"'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l tdp -d 'The imported machines\' power draw in watts, for the electricity cost' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l packs -d 'Packs to assign to the imported machines (from packs/)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l tags -d 'Tags for the imported machines' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from agents" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from help" -f -a "tailscale" -d 'List the tailnet\'s devices: name, addresses, OS, online or last seen, tags, the fleet machine each already is, and what SSH on it answers (its banner and host key)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from help" -f -a "network" -d 'Probe a network range (TCP connect, no root) for hosts with open ports'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from help" -f -a "ssh" -d 'Scan one device over SSH: host name, OS, kernel, uptime, CPU, memory, disks, Docker, running services'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from help" -f -a "history" -d 'The stored scans, newest first'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from help" -f -a "show" -d 'One stored scan'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from help" -f -a "agents" -d 'List machines whose agents send heartbeats to this hub but that fleet.yaml does not have: their machine id (the id to import them under), host name, OS and last heartbeat'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand discover; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -f -a "trust" -d 'Fetch machines\' host keys, show their fingerprints and pin them in known_hosts'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and not __fish_seen_subcommand_from trust help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -s y -l yes -d 'Pin without asking (needed when stdin is not a terminal)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from trust" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from help" -f -a "trust" -d 'Fetch machines\' host keys, show their fingerprints and pin them in known_hosts'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand hosts; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -l machine -d 'Only entries about this machine' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -l action -d 'Only entries of this kind' -r -f -a "exec\t''
exec-start\t''
apply\t''
trust\t''
secret\t''
sync\t''
agent\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -l since -d 'Only entries from this recent period: 1h, 24h, 7d…' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -l limit -d 'At most this many entries (the newest)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -f -a "show" -d 'One entry in full, with its output'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -f -a "verify" -d 'Check the hash chain: exit 0 when intact, 1 naming the first entry that was edited, deleted or reordered'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -f -a "append" -d 'Append an entry (for tests; real entries come from exec, apply and secrets)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and not __fish_seen_subcommand_from show verify append help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -l expect-head -d 'A head hash printed by an earlier `audit verify`: it must still be the hash of an entry' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l machine -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l action -r -f -a "exec\t''
exec-start\t''
apply\t''
trust\t''
secret\t''
sync\t''
agent\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l name -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l command -d 'The command as run, already redacted' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l exit -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l duration-ms -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l out-text -d 'The command\'s output' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l out-file -d 'The command\'s output, read from a file' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l fleet-commit -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l secret -d 'A secret value to redact from the command (repeat)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from append" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "show" -d 'One entry in full, with its output'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the hash chain: exit 0 when intact, 1 naming the first entry that was edited, deleted or reordered'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "append" -d 'Append an entry (for tests; real entries come from exec, apply and secrets)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -f -a "test" -d 'Send a test message to every target, or to TARGET, and report the HTTP answer'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and not __fish_seen_subcommand_from test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send a test message to every target, or to TARGET, and report the HTTP answer'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand notify; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l host -d 'The address to listen on' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l port -d 'The port to listen on (0 picks a free one and prints it)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l agent-interval -d 'Tell agents to take a sample every SECS seconds [default: each agent\'s own setting]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l fleet-poll -d 'How often to look for a new fleet commit' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l client-timeout -d 'How long a client may take to send a request\'s headers, and again its body; idle keep-alive connections are closed after it too' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l storm-window -d 'Alerts that open (or resolve) within this many seconds of each other go to a notification target as one message ("3 machines offline: …"); 0 sends each at once' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l alert-every -d 'How often to look for silent servers, away workstations, recorded drift and due reminders (heartbeats are judged as they arrive)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l sync-every -d 'Follow the fleet repository\'s remote: run `sync` this often (e.g. 5m) [default: never]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l hide-addresses -d 'Leave machines\' addresses off the status page (for a page shown to the family)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l apply-after-sync -d 'After each successful sync, apply the fleet as `apply --all --yes` does: the pull-style GitOps loop (needs --sync-every)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -l url -d 'The URL to ask [default: http://127.0.0.1:8080/healthz, from HOMELAB_CMD_HOST/PORT]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -l timeout -d 'Give up after this many seconds' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand healthcheck" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -l port -d 'The port to listen on (0 picks a free one)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -l days -d 'Days of simulated history' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand demo" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -f -a "token" -d 'Print the token of MACHINE, for its agent\'s HOMELAB_AGENT_API_KEY'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -f -a "install" -d 'Install the agent: copy the binary for each machine\'s architecture, write its config (with the machine\'s token, mode 0600) and start it; then wait for its first heartbeat'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -f -a "upgrade" -d 'Install this build\'s agent where the installed one\'s version differs (`--version` asked over SSH); machines without an agent are left alone'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -f -a "remove" -d 'Stop and disable the agent and delete its binary, unit, config and state: nothing is kept'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -f -a "status" -d 'Show each machine\'s agent: its version against this build\'s and its last heartbeat'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token install upgrade remove status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l tag -d 'Machines with this tag (repeat: all must match)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l concurrency -d 'Machines worked on at once' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l timeout -d 'Per-step command timeout [default: ssh.command_timeout, else 60s]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l connect-timeout -d 'Connect timeout [default: ssh.connect_timeout, else 5s]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l root -d 'Install under this directory instead of `/` (a staging tree; hosts sharing a disk); `{machine}` in it is replaced by each machine\'s id' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l init -d 'How the agent is kept running: systemd (auto: where /run/systemd/system exists), or none: a background process started with nohup and setsid, for machines without systemd such as containers (not restarted at boot)' -r -f -a "auto\t''
systemd\t''
none\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l agent-dir -d 'Where `homelabcmd-agent-<arch>` binaries are [default: beside homelabcmd]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l hub-url -d 'The hub\'s URL as the machines reach it, written to the agent\'s config' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l wait -d 'How long to wait for each new agent\'s first heartbeat at the hub (an agent\'s first sample may take up to 30 s: its apt check is bounded so)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l all -d 'Every machine of the fleet'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l no-wait -d 'Do not wait for the first heartbeats'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l tag -d 'Machines with this tag (repeat: all must match)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l concurrency -d 'Machines worked on at once' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l timeout -d 'Per-step command timeout [default: ssh.command_timeout, else 60s]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l connect-timeout -d 'Connect timeout [default: ssh.connect_timeout, else 5s]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l root -d 'Install under this directory instead of `/` (a staging tree; hosts sharing a disk); `{machine}` in it is replaced by each machine\'s id' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l init -d 'How the agent is kept running: systemd (auto: where /run/systemd/system exists), or none: a background process started with nohup and setsid, for machines without systemd such as containers (not restarted at boot)' -r -f -a "auto\t''
systemd\t''
none\t''"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l agent-dir -d 'Where `homelabcmd-agent-<arch>` binaries are [default: beside homelabcmd]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l hub-url -d 'The hub\'s URL as the machines reach it, written to the agent\'s config' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l wait -d 'How long to wait for each new agent\'s first heartbeat at the hub (an agent\'s first sample may take up to 30 s: its apt check is bounded so)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l all -d 'Every machine of the fleet'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l no-wait -d 'Do not wait for the first heartbeats'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from upgrade" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l tag -d 'Machines with this tag (repeat: all must match)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l concurrency -d 'Machines worked on at once' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l timeout -d 'Per-step command timeout [default: ssh.command_timeout, else 60s]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l connect-timeout -d 'Connect timeout [default: ssh.connect_timeout, else 5s]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l root -d 'Install under this directory instead of `/` (a staging tree; hosts sharing a disk); `{machine}` in it is replaced by each machine\'s id' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l all -d 'Every machine of the fleet'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -l root -d 'With --probe: where the agent was installed (as given to `agent install --root`; `{machine}` is each machine\'s id)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -l concurrency -d 'With --probe: machines asked at once' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -l connect-timeout -d 'With --probe: connect timeout [default: ssh.connect_timeout, else 5s]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -l probe -d 'Ask each machine over SSH'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "token" -d 'Print the token of MACHINE, for its agent\'s HOMELAB_AGENT_API_KEY'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "install" -d 'Install the agent: copy the binary for each machine\'s architecture, write its config (with the machine\'s token, mode 0600) and start it; then wait for its first heartbeat'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "upgrade" -d 'Install this build\'s agent where the installed one\'s version differs (`--version` asked over SSH); machines without an agent are left alone'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Stop and disable the agent and delete its binary, unit, config and state: nothing is kept'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show each machine\'s agent: its version against this build\'s and its last heartbeat'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Read every page of the database and report corruption (SQLite\'s quick_check)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "check" -d 'Read every page of the database and report corruption (SQLite\'s quick_check)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -f -a "init" -d 'Create an age identity (unless there is one) and secrets.yaml with it as recipient'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -f -a "set" -d 'Encrypt a value as NAME: read from stdin, or asked for twice (not echoed) on a terminal'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -f -a "get" -d 'Tell whether NAME is set; print its value with --reveal'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -f -a "list" -d 'List the secrets\' names and the recipients (no values)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -f -a "rm" -d 'Remove the secret NAME'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -f -a "recipients" -d 'Add or remove a recipient; every value is re-encrypted to the new set'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and not __fish_seen_subcommand_from init set get list rm recipients help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -l name -d 'A name for this identity among the recipients, e.g. you@laptop' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -l reveal -d 'Decrypt and print the value to stdout, as it is (plus a newline on a terminal)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -f -a "add" -d 'Let another age identity decrypt: re-encrypt every value to it too'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -f -a "rm" -d 'Stop encrypting to a recipient: re-encrypt every value to the others'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from recipients" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "init" -d 'Create an age identity (unless there is one) and secrets.yaml with it as recipient'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "set" -d 'Encrypt a value as NAME: read from stdin, or asked for twice (not echoed) on a terminal'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "get" -d 'Tell whether NAME is set; print its value with --reveal'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the secrets\' names and the recipients (no values)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove the secret NAME'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "recipients" -d 'Add or remove a recipient; every value is re-encrypted to the new set'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand completions" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand generate-docs" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l machines -d 'How many of the fleet\'s machines (in fleet.yaml order)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l machine -d 'These machines instead (repeat)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l days -d 'Days of history, ending now' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l interval -d 'Seconds between samples' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l seed -d 'Seed of the simulation' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l one-by-one -d 'Store each sample as its own heartbeat, as agents send them (else an hour at a time)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand debug-fill" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "init" -d 'Create a fleet repository: git init, a commented fleet.yaml, the Base, Developer Lite and Developer Max packs, and a first commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "validate" -d 'Check fleet.yaml and packs/ and report every problem at once'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "status" -d 'Show the fleet\'s health: one row per machine, and a summary line'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "history" -d 'Show how a metric of one machine moved: a terminal sparkline with min/avg/max, or the series with -o json'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "machines" -d 'List the machines of the fleet, in fleet.yaml order'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "cost" -d 'Show what the fleet costs to run: per machine its watts (tdp_w), hours on a day, kWh and cost a day and a month, and the totals for servers, workstations and all'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "packs" -d 'List the config packs, or show one resolved with everything it inherits'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "alerts" -d 'The alerts raised by `serve`: open, acknowledged and stale ones, newest first'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "actions" -d 'The remediation actions alerts brought: pending, approved, running and failed ones, newest first'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "check" -d 'Exit 0 when no alert at or above --fail-on is open (or acknowledged), 1 when one is'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "pause" -d 'Put a machine in maintenance mode: shown beside its state in `status` and `machines`; its alerts are neither raised nor notified while it lasts'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "resume" -d 'Take a machine out of maintenance mode'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "diff" -d 'Show where machines drift from their packs: missing files, content (as a unified diff), modes, owners, directories, packages and versions'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "apply" -d 'Apply the packs: write missing or changed files, create directories, fix modes and owners, install packages (one apt-get call, through sudo)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "sync" -d 'Fetch the fleet repository\'s remote and fast-forward the checked-out branch to it'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "compliance" -d 'Show each machine\'s compliance with its packs as last checked by `diff` or `apply`'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "exec" -d 'Run a command from the whitelist on one machine, a group, or many'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "discover" -d 'Find machines and add them to fleet.yaml'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "hosts" -d 'Host keys: pinned in `known_hosts` at the root of the fleet repository'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "audit" -d 'The audit trail: every exec, apply, trust and secret change, newest first'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "notify" -d 'Notification targets (fleet.yaml `defaults.notify`, and SLACK_WEBHOOK_URL)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "serve" -d 'Run the hub: take agents\' heartbeats on POST /api/v1/heartbeat and keep them in SQLite'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "healthcheck" -d 'Ask a running hub whether it is healthy: GET its /healthz, needing no shell tools'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "demo" -d 'Show the status page with a living fleet: a hub on 127.0.0.1 with a scratch database in a temporary directory, the repository\'s fleet with simulated history, and the real agent reporting this very machine as one of the fleet\'s'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "agent" -d 'Work with agents'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "db" -d 'Work with the local database'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "secrets" -d 'Keep secrets encrypted in the fleet repository, for fleet.yaml\'s `secret:NAME`'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "completions" -d 'Print a shell completion script'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "generate-docs" -d 'Write completions/ and man/ under DIR'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "debug-fill" -d 'Fill the store with simulated samples for the fleet\'s first N machines'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines cost packs alerts actions check pause resume diff apply sync compliance exec discover hosts audit notify serve healthcheck demo agent db secrets completions generate-docs debug-fill help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "show" -d 'Show a pack resolved: every file, directory and package, and the pack it comes from'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from alerts" -f -a "show" -d 'One alert in full, with its history'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from alerts" -f -a "ack" -d 'Acknowledge an alert: someone is on it; reminders stop'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from alerts" -f -a "resolve" -d 'Resolve an alert by hand (if its condition holds, serve opens a new one)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from actions" -f -a "approve" -d 'Approve a pending (or failed) action and run it now, over SSH, audited'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from actions" -f -a "reject" -d 'Reject a pending (or failed) action: it will not run'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from discover" -f -a "tailscale" -d 'List the tailnet\'s devices: name, addresses, OS, online or last seen, tags, the fleet machine each already is, and what SSH on it answers (its banner and host key)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from discover" -f -a "network" -d 'Probe a network range (TCP connect, no root) for hosts with open ports'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from discover" -f -a "ssh" -d 'Scan one device over SSH: host name, OS, kernel, uptime, CPU, memory, disks, Docker, running services'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from discover" -f -a "history" -d 'The stored scans, newest first'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from discover" -f -a "show" -d 'One stored scan'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from discover" -f -a "agents" -d 'List machines whose agents send heartbeats to this hub but that fleet.yaml does not have: their machine id (the id to import them under), host name, OS and last heartbeat'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from hosts" -f -a "trust" -d 'Fetch machines\' host keys, show their fingerprints and pin them in known_hosts'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "show" -d 'One entry in full, with its output'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the hash chain: exit 0 when intact, 1 naming the first entry that was edited, deleted or reordered'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "append" -d 'Append an entry (for tests; real entries come from exec, apply and secrets)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from notify" -f -a "test" -d 'Send a test message to every target, or to TARGET, and report the HTTP answer'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "token" -d 'Print the token of MACHINE, for its agent\'s HOMELAB_AGENT_API_KEY'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "install" -d 'Install the agent: copy the binary for each machine\'s architecture, write its config (with the machine\'s token, mode 0600) and start it; then wait for its first heartbeat'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "upgrade" -d 'Install this build\'s agent where the installed one\'s version differs (`--version` asked over SSH); machines without an agent are left alone'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "remove" -d 'Stop and disable the agent and delete its binary, unit, config and state: nothing is kept'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "status" -d 'Show each machine\'s agent: its version against this build\'s and its last heartbeat'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "check" -d 'Read every page of the database and report corruption (SQLite\'s quick_check)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "init" -d 'Create an age identity (unless there is one) and secrets.yaml with it as recipient'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "set" -d 'Encrypt a value as NAME: read from stdin, or asked for twice (not echoed) on a terminal'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "get" -d 'Tell whether NAME is set; print its value with --reveal'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "list" -d 'List the secrets\' names and the recipients (no values)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "rm" -d 'Remove the secret NAME'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "recipients" -d 'Add or remove a recipient; every value is re-encrypted to the new set'
