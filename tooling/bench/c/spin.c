// Benchmark producer child: waits for one byte on stdin (the "go" signal, sent once the consumer
// is attached), then issues `count` getppid() syscalls in a tight loop, and prints
// "<count> <elapsed ns>" on stdout. With a `rate` (calls per second) it issues them in 1 ms
// bursts and sleeps in between, leaving the CPU to others, as a real paced workload would.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: spin <count> [rate/s]\n");
        return 2;
    }
    long count = atol(argv[1]);
    double rate = argc > 2 ? atof(argv[2]) : 0;
    char go;
    if (read(0, &go, 1) != 1)
        return 1;
    long long start = now_ns();
    if (rate > 0) {
        long done = 0;
        for (long tick = 1; done < count; tick++) {
            long quota = (long)(rate * tick / 1000.0);
            for (; done < quota && done < count; done++)
                syscall(SYS_getppid);
            long long due = start + tick * 1000000LL;
            struct timespec ts = {.tv_sec = due / 1000000000LL, .tv_nsec = due % 1000000000LL};
            if (done < count)
                clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        }
    } else {
        for (long i = 0; i < count; i++)
            syscall(SYS_getppid);
    }
    long long elapsed = now_ns() - start;
    printf("%ld %lld\n", count, elapsed);
    return 0;
}
