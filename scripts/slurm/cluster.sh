# A one-machine Slurm cluster whose every file lives in one folder: munged, slurmctld and slurmd,
# started and stopped by the functions below. Sourced by test-slurm.sh; bash only.
#
# Choices, for Debian 12's slurm-wlm 22.05.8 and munge 0.5.15, run as root in a container:
# - Authentication by munge (auth/munge, cred/munge), the only one production clusters use, with a key
#   made for this run and a socket in the folder (munged --key-file/--socket; slurm.conf's
#   AuthInfo=socket=…). 22.05 still ships auth/none, but it is gone from later releases and it would
#   leave the credential path untested. munged refuses a socket whose folders are not searchable
#   by everyone, hence the folder's mode 0755 (the key itself is 0600).
# - No cgroups: ProctrackType=proctrack/linuxproc (jobs' processes followed through /proc's parent
#   links, which is all scancel needs here), TaskPlugin=task/none, JobAcctGatherType=jobacct_gather/none.
#   None of these needs any cgroup set-up, and slurmd starts without a cgroup.conf. The cgroup
#   plugins were not tried: the machines are gVisor sandboxes whose cgroup v1 hierarchy is theirs.
# - SlurmUser=root and SlurmdUser=root: jobs run as root, as the tests do.
# - Ports from 26817 up, the first free pair, so a real cluster's 6817/6818 are never touched.
# - Every daemon, job step and job runs with SLURM_CONF pointing into the folder; that is how
#   slurm_cluster_stop finds whatever this cluster started and nothing else.

# slurm_cluster_start DIR: writes DIR/slurm.conf and starts the three daemons; exports SLURM_CONF.
# DIR must exist and be empty, and every folder above it searchable by everyone (munged checks).
slurm_cluster_start() {
  local dir=$1
  chmod 0755 "$dir"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 0755 "$dir/munge"

  local node ctld_port slurmd_port cpus
  node=$(hostname -s)
  ctld_port=$(slurm_free_port_pair 26817)
  slurmd_port=$((ctld_port + 1))
  cpus=$(nproc)

  cat > "$dir/slurm.conf" <<EOF
# Written by scripts/slurm/cluster.sh for one test run; see the comments there.
ClusterName=codebook
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# A job whose dependency can never be met is cancelled instead of waiting forever.
DependencyParameters=kill_invalid_depend
# scancel's SIGTERM is followed by SIGKILL after 5 s (30 by default).
KillWait=5
# Finished jobs stay visible to scontrol for the whole test (300 s by default).
MinJobAge=3600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$dir/slurm.conf

  mungekey --create --keyfile="$dir/munge/munge.key"
  chmod 0600 "$dir/munge/munge.key"
  munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
  slurmctld -i   # -i: no state to recover from
  slurmd
  local waited=0
  until [ "$(sinfo -h -o %T 2>/dev/null)" = idle ]; do
    if [ $waited -ge 60 ]; then
      echo "test-slurm: the node is not idle after 60 s (sinfo: $(sinfo -h -o '%T %E' 2>&1))" >&2
      return 1
    fi
    sleep 1; waited=$((waited + 1))
  done
  echo "test-slurm: cluster up in $dir: $(slurmctld -V), munge $(munged --version | cut -d' ' -f1 | cut -d- -f2);" \
    "ports $ctld_port/$slurmd_port, node $node with $cpus CPUs"
}

# slurm_free_port_pair FIRST: the first port p >= FIRST with p and p+1 both free on this machine.
slurm_free_port_pair() {
  local p=$1 listening
  # Every port in use in any state (a TIME_WAIT one cannot be bound either); without ss, none known.
  listening=$({ ss -Htan 2>/dev/null || true; } | awk '{print $4}' | sed 's/.*://' | sort -u)
  while grep -qx -e "$p" -e "$((p + 1))" <<< "$listening"; do p=$((p + 2)); done
  echo "$p"
}

# slurm_cluster_pids DIR: every process of this cluster (munged, the Slurm daemons, job steps, jobs), by
# the SLURM_CONF in its environment: it is exported before munged starts, and every other process of
# the cluster inherits it (the jobs through sbatch's default --export=ALL).
# This script's own session (itself, the client commands, the scan's own tr and grep) has SLURM_CONF
# too, and is left out: the daemons, job steps and jobs each run in a session of their own.
slurm_cluster_pids() {
  local dir=$1 env pid own_session
  own_session=$(slurm_session_of $$)
  for env in /proc/[0-9]*/environ; do
    pid=${env#/proc/}; pid=${pid%/environ}
    [ "$(slurm_session_of "$pid")" = "$own_session" ] && continue
    if { tr '\0' '\n' < "$env"; } 2>/dev/null | grep -qx "SLURM_CONF=$dir/slurm.conf"; then echo "$pid"; fi
  done
  return 0
}

# slurm_session_of PID: the session id, from /proc/PID/stat (after the command name, which may hold
# spaces and parentheses: "slurmstepd: [3.batch]").
slurm_session_of() {
  sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f4
}

# slurm_cluster_stop DIR: cancels every job and shuts the Slurm daemons down (munged last: they need it
# to talk), then ends by process id whatever of this cluster is still alive. Safe to call at any point
# of slurm_cluster_start, and more than once; fails when a process of the cluster survives.
slurm_cluster_stop() {
  local dir=$1
  [ -f "$dir/slurm.conf" ] || return 0
  export SLURM_CONF=$dir/slurm.conf
  local munged_pid="" jobs left waited
  [ -f "$dir/munge/munged.pid" ] && munged_pid=$(cat "$dir/munge/munged.pid")
  slurm_processes() { slurm_cluster_pids "$dir" | grep -vx "${munged_pid:-none}" || true; }
  if [ -n "$(slurm_processes)" ]; then
    jobs=$(squeue -h -o %A 2>/dev/null || true)
    if [ -n "$jobs" ]; then
      # shellcheck disable=SC2086
      scancel $jobs 2>/dev/null || true
      waited=0
      while [ -n "$(squeue -h -o %A 2>/dev/null || true)" ] && [ $waited -lt 20 ]; do sleep 1; waited=$((waited + 1)); done
    fi
    scontrol shutdown >/dev/null 2>&1 || true
    waited=0
    while [ -n "$(slurm_processes)" ] && [ $waited -lt 15 ]; do sleep 1; waited=$((waited + 1)); done
  fi
  left=$(slurm_cluster_pids "$dir")
  if [ -n "$left" ]; then
    # Normally munged alone by now.
    # shellcheck disable=SC2086
    kill -TERM $left 2>/dev/null || true
    waited=0
    while [ -n "$(slurm_cluster_pids "$dir")" ] && [ $waited -lt 5 ]; do sleep 1; waited=$((waited + 1)); done
  fi
  left=$(slurm_cluster_pids "$dir")
  if [ -n "$left" ]; then
    echo "test-slurm: killing what is left of the cluster: $(for pid in $left; do
      tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null; echo -n "($pid) "; done)" >&2
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
    sleep 1
  fi
  left=$(slurm_cluster_pids "$dir")
  if [ -n "$left" ]; then
    echo "test-slurm: processes of the cluster still alive: $left" >&2
    return 1
  fi
  return 0
}
