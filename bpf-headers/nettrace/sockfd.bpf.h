/* SPDX-License-Identifier: GPL-2.0 */
/* The socket behind a file descriptor of the current task, for syscall hooks that only see the
 * fd: current->files->fdt->fd[fd], a socket when its inode is S_IFSOCK, then its struct sock's
 * local and remote ports. Read with CO-RE, so it works from classic tracepoints too. */
#pragma once
#include "common.bpf.h"

#define NT_S_IFMT 00170000
#define NT_S_IFSOCK 0140000

/* The local and remote ports (host order) of the socket open as `fd`; false when fd is not a
 * socket (a file, a pipe) or is not open. */
static __always_inline bool nt_fd_sock_ports(__u32 fd, __u16 *lport, __u16 *rport) {
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
    if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
        return false;
    struct file **fds = BPF_CORE_READ(fdt, fd);
    struct file *file = 0;
    if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
        return false;
    if ((BPF_CORE_READ(file, f_inode, i_mode) & NT_S_IFMT) != NT_S_IFSOCK)
        return false;
    struct socket *sock = BPF_CORE_READ(file, private_data);
    struct sock *sk = sock ? BPF_CORE_READ(sock, sk) : 0;
    if (!sk)
        return false;
    *lport = BPF_CORE_READ(sk, __sk_common.skc_num);
    *rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    return true;
}
