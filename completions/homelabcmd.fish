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
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "packs" -d 'List the config packs, or show one resolved with everything it inherits'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "pause" -d 'Put a machine in maintenance mode: its alerts are held and actions need approval'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "resume" -d 'Take a machine out of maintenance mode'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "serve" -d 'Run the hub: take agents\' heartbeats on POST /api/v1/heartbeat and keep them in SQLite'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "agent" -d 'Work with agents'
complete -c homelabcmd -n "__fish_homelabcmd_needs_command" -f -a "db" -d 'Work with the local database'
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
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand pause" -l reason -d 'Why, shown beside the machine\'s state' -r
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
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l host -d 'The address to listen on' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l port -d 'The port to listen on (0 picks a free one and prints it)' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l agent-interval -d 'Tell agents to take a sample every SECS seconds [default: each agent\'s own setting]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l fleet-poll -d 'How often to look for a new fleet commit' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand serve" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -l repo -d 'The fleet repository [default: the git repository around the current directory]' -r -F
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -l rev -d 'Read the fleet at this commit, branch or tag [default: HEAD]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -l db -d 'The SQLite database [default: ./data/homelab.db]' -r
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people'
json\t'One JSON document, with the shape documented in the README'"
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -l worktree -d 'Read the fleet files on disk, with uncommitted changes, instead of a commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -s q -l quiet -d 'Print less: no warnings, no summaries'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -s V -l version -d 'Print version'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -f -a "token" -d 'Print the token of MACHINE, for its agent\'s HOMELAB_AGENT_API_KEY'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and not __fish_seen_subcommand_from token help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "token" -d 'Print the token of MACHINE, for its agent\'s HOMELAB_AGENT_API_KEY'
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
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "init" -d 'Create a fleet repository: git init, a commented fleet.yaml, the Base, Developer Lite and Developer Max packs, and a first commit'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "validate" -d 'Check fleet.yaml and packs/ and report every problem at once'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "status" -d 'Show the fleet\'s health: one row per machine, and a summary line'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "history" -d 'Show how a metric of one machine moved: a terminal sparkline with min/avg/max, or the series with -o json'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "machines" -d 'List the machines of the fleet, in fleet.yaml order'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "packs" -d 'List the config packs, or show one resolved with everything it inherits'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "pause" -d 'Put a machine in maintenance mode: its alerts are held and actions need approval'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "resume" -d 'Take a machine out of maintenance mode'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "serve" -d 'Run the hub: take agents\' heartbeats on POST /api/v1/heartbeat and keep them in SQLite'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "agent" -d 'Work with agents'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "db" -d 'Work with the local database'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "completions" -d 'Print a shell completion script'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "generate-docs" -d 'Write completions/ and man/ under DIR'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "debug-fill" -d 'Fill the store with simulated samples for the fleet\'s first N machines'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and not __fish_seen_subcommand_from init validate status history machines packs pause resume serve agent db completions generate-docs debug-fill help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "show" -d 'Show a pack resolved: every file, directory and package, and the pack it comes from'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "token" -d 'Print the token of MACHINE, for its agent\'s HOMELAB_AGENT_API_KEY'
complete -c homelabcmd -n "__fish_homelabcmd_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "check" -d 'Read every page of the database and report corruption (SQLite\'s quick_check)'
