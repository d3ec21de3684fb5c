// Benchmark traffic: `count` one-byte UDP datagrams to ADDR:PORT as fast as sendmmsg() sends them
// (batches of 64), for the output-path section: a closed port makes each one a kernel drop
// (skb:kfree_skb), i.e. one eth-drop event. Waits for one byte on stdin (the "go" signal, once the
// plugin is attached), then prints "<sent> <elapsed ns>". Python senders top out near 75 k/s here,
// below what the output path must be measured at.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: udp-flood <IPv4 address> <port> <count>\n");
        return 2;
    }
    struct sockaddr_in to = {.sin_family = AF_INET,
                             .sin_port = htons((unsigned short)atoi(argv[2]))};
    if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
        fprintf(stderr, "udp-flood: '%s' is not an IPv4 address\n", argv[1]);
        return 2;
    }
    long count = atol(argv[3]);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
        perror("udp-flood: socket");
        return 1;
    }
    char byte = 'x';
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof(msgs));
    for (int i = 0; i < BATCH; i++) {
        msgs[i].msg_hdr.msg_iov = &iov;
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    char go;
    if (read(0, &go, 1) != 1)
        return 1;
    long long start = now_ns();
    long sent = 0;
    while (sent < count) {
        unsigned int n = count - sent < BATCH ? (unsigned int)(count - sent) : BATCH;
        int r = sendmmsg(fd, msgs, n, 0);
        // ECONNREFUSED: the ICMP port-unreachable of an earlier datagram, reported on this socket.
        if (r < 0 && errno == ECONNREFUSED)
            continue;
        if (r < 0) {
            perror("udp-flood: sendmmsg");
            return 1;
        }
        sent += r;
    }
    printf("%ld %lld\n", sent, now_ns() - start);
    return 0;
}
