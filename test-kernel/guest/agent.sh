#!/bin/sh
# Guest end of the exec channel, run by init inside the host-root chroot.
# usage: agent.sh PORT DIR
# The host writes DIR/<id>.sh and sends "run <id> <timeout-seconds>"; the agent runs it in the
# background (requests may overlap), with stdout and stderr in DIR/<id>.out and DIR/<id>.err on the
# read-write share, then answers "done <id> <status>". "exit" (or the host going away, which reads
# as end of file) ends the agent and with it the VM.
port=$1
dir=$2
mkdir -p "$dir" || exit 1
exec 3<>"$port"
printf 'ready %s\n' "$(uname -r)" >&3
while read -r verb id secs <&3; do
    case $verb in
    run)
        # timeout(1) signals the whole process group, so helpers a command left running die too.
        (
            timeout -k 5 "$secs" sh "$dir/$id.sh" >"$dir/$id.out" 2>"$dir/$id.err" </dev/null
            printf 'done %s %s\n' "$id" "$?" >&3
        ) &
        ;;
    exit) exit 0 ;;
    *) printf 'error unknown request: %s\n' "$verb" >&3 ;;
    esac
done
