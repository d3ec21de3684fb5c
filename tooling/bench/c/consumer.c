// The C reference consumer for `npm run bench`: what a minimal libbpf tool does, over the same
// vendored libbpf as @nettrace/core. Two modes:
//
//   consumer run --obj rbbench.bpf.o --spin ./spin --mode adaptive|hybrid --big 0|1
//                --producers K --events N [--rate R] [--wakeup-bytes B] [--drain-ms D]
//                [--ring-bytes R]
//     forks K producer children, loads the benchmark object filtered to them, attaches, sends
//     "go", and consumes every record (decoding every field and aggregating) until the children
//     have exited and the ring is drained. Prints one JSON line with the measurements.
//
//   consumer startup --obj plugin.bpf.o --prog name:kind[:target] ...
//     open → load (only the named programs) → attach; prints "attached <ms>" and exits.
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/types.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_event.h"

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long cpu_ns(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "consumer: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap) {
    return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static const char *arg(int argc, char **argv, const char *name, const char *fallback) {
    for (int i = 2; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return fallback;
}

// Writes a global variable of the object's .rodata before load, found through the BTF DATASEC.
static void set_rodata(struct bpf_object *obj, const char *var, const void *value, size_t size) {
    struct bpf_map *map = bpf_object__find_map_by_name(obj, ".rodata");
    struct btf *btf = bpf_object__btf(obj);
    int id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
    if (!map || id < 0)
        die("no .rodata in the object");
    size_t len;
    char *data = bpf_map__initial_value(map, &len);
    const struct btf_type *sec = btf__type_by_id(btf, id);
    const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
    for (int i = 0; i < btf_vlen(sec); i++, vs++) {
        const struct btf_type *v = btf__type_by_id(btf, vs->type);
        if (strcmp(btf__name_by_offset(btf, v->name_off), var))
            continue;
        if (vs->size < size || vs->offset + size > len)
            die("%s holds %u bytes, not %zu", var, vs->size, size);
        memset(data + vs->offset, 0, vs->size);
        memcpy(data + vs->offset, value, size);
        return;
    }
    die("no variable %s in .rodata", var);
}

static uint64_t percpu_sum(struct bpf_object *obj, const char *name) {
    int ncpu = libbpf_num_possible_cpus();
    uint64_t values[ncpu], sum = 0;
    uint32_t zero = 0;
    struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
    if (!map || bpf_map_lookup_elem(bpf_map__fd(map), &zero, values))
        die("lookup %s failed", name);
    for (int i = 0; i < ncpu; i++)
        sum += values[i];
    return sum;
}

static long vm_hwm_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "VmHWM:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

// ---- consumption: decode every field, aggregate ----

static struct {
    uint64_t count, ts, seq, tgid, tid, cpu, size, a, b, c, d, words;
} agg;

static int on_event(void *ctx, void *data, size_t len) {
    const struct bench_event *e = data;
    agg.count++;
    agg.ts += e->ts_ns;
    agg.seq += e->seq;
    agg.tgid += e->tgid;
    agg.tid += e->tid;
    agg.cpu += e->cpu;
    agg.size += e->size;
    agg.a += e->a;
    agg.b += e->b;
    agg.c += e->c;
    agg.d += e->d;
    if (len >= sizeof(struct bench_event_big)) {
        const struct bench_event_big *big = data;
        for (int i = 0; i < BENCH_WORDS; i++)
            agg.words += big->words[i];
    }
    return 0;
}

static volatile sig_atomic_t exited;

static void on_child(int sig) {
    int saved = errno, status;
    while (waitpid(-1, &status, WNOHANG) > 0)
        exited++;
    errno = saved;
}

static int run(int argc, char **argv) {
    const char *objPath = arg(argc, argv, "--obj", NULL), *spin = arg(argc, argv, "--spin", NULL);
    const char *mode = arg(argc, argv, "--mode", "adaptive");
    int big = atoi(arg(argc, argv, "--big", "0"));
    int producers = atoi(arg(argc, argv, "--producers", "1"));
    const char *events = arg(argc, argv, "--events", "1000000");
    const char *rate = arg(argc, argv, "--rate", "0");
    uint64_t wakeupBytes = strtoull(arg(argc, argv, "--wakeup-bytes", "0"), NULL, 10);
    int drainMs = atoi(arg(argc, argv, "--drain-ms", "5"));
    uint32_t ringBytes = strtoul(arg(argc, argv, "--ring-bytes", "0"), NULL, 10);
    int hybrid = !strcmp(mode, "hybrid");
    if (!objPath || !spin || producers < 1 || producers > BENCH_MAX_PRODUCERS)
        die("run: --obj, --spin and 1..%d --producers are required", BENCH_MAX_PRODUCERS);

    struct sigaction sa = {.sa_handler = on_child}; // no SA_RESTART: epoll_wait returns EINTR
    sigaction(SIGCHLD, &sa, NULL);
    int goPipe[2], outPipe[BENCH_MAX_PRODUCERS][2];
    __u32 tgids[BENCH_MAX_PRODUCERS] = {0};
    if (pipe(goPipe))
        die("pipe");
    for (int i = 0; i < producers; i++) {
        if (pipe(outPipe[i]))
            die("pipe");
        pid_t pid = fork();
        if (pid == 0) {
            dup2(goPipe[0], 0);
            dup2(outPipe[i][1], 1);
            execl(spin, spin, events, rate, (char *)NULL);
            _exit(127);
        }
        close(outPipe[i][1]);
        tgids[i] = pid;
    }
    close(goPipe[0]);

    struct bpf_object *obj = bpf_object__open_file(objPath, NULL);
    if (!obj)
        die("open %s: %s", objPath, strerror(errno));
    set_rodata(obj, "cfg_tgids", tgids, sizeof(tgids));
    __u32 n = producers;
    set_rodata(obj, "cfg_ntgids", &n, sizeof(n));
    __u8 b = big;
    set_rodata(obj, "cfg_big", &b, sizeof(b));
    __u64 wb = hybrid ? wakeupBytes : 0;
    set_rodata(obj, "cfg_wakeup_bytes", &wb, sizeof(wb));
    struct bpf_map *events_map = bpf_object__find_map_by_name(obj, "events");
    if (ringBytes && bpf_map__set_max_entries(events_map, ringBytes))
        die("ring size %u", ringBytes);
    if (bpf_object__load(obj))
        die("load: %s", strerror(errno));
    struct bpf_link *link = bpf_program__attach(bpf_object__find_program_by_name(obj, "nt_bench"));
    if (!link)
        die("attach: %s", strerror(errno));
    struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(events_map), on_event, NULL, NULL);
    if (!rb)
        die("ring_buffer__new: %s", strerror(errno));
    if (!strcmp(arg(argc, argv, "--epoll", hybrid ? "et" : "lt"), "et")) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.fd = 0};
        if (epoll_ctl(ring_buffer__epoll_fd(rb), EPOLL_CTL_MOD, bpf_map__fd(events_map), &ev))
            die("epoll_ctl: %s", strerror(errno));
    }

    long long cpu0 = cpu_ns(), t0 = now_ns();
    uint64_t drains = 0, wakeups = 0;
    char go[BENCH_MAX_PRODUCERS] = {0};
    if (write(goPipe[1], go, producers) != producers)
        die("go");
    int et = !strcmp(arg(argc, argv, "--epoll", hybrid ? "et" : "lt"), "et");
    while (exited < producers) {
        // adaptive: sleep in epoll until the kernel wakes us (the short timeout only bounds the
        // wait for the children's exit); hybrid: the same, but drain on a drainMs timer as well.
        int got = ring_buffer__poll(rb, hybrid ? drainMs : 10);
        if (got > 0) {
            wakeups++;
            drains++;
        } else if (got == 0 && hybrid) {
            if (ring_buffer__consume(rb) > 0)
                drains++;
        } else if (got < 0 && got != -EINTR) {
            die("ring_buffer__poll: %d", got);
        }
        // Edge-triggered: our last consumer_pos store and the producer's check of it can pass
        // each other (store->load reordering), losing the kernel's wake-up. A full fence, then
        // one more pass, closes the race (nettrace's ringbuf.cc does the same).
        if (et) {
            do
                __atomic_thread_fence(__ATOMIC_SEQ_CST);
            while (ring_buffer__consume(rb) > 0);
        }
    }
    long long t1 = now_ns(), cpu1 = cpu_ns();

    uint64_t produced = percpu_sum(obj, "bench_produced"), lost = percpu_sum(obj, "events_lost");
    long long producerNs[BENCH_MAX_PRODUCERS];
    long producerCount[BENCH_MAX_PRODUCERS];
    for (int i = 0; i < producers; i++) {
        FILE *f = fdopen(outPipe[i][0], "r");
        if (!f || fscanf(f, "%ld %lld", &producerCount[i], &producerNs[i]) != 2)
            die("producer %d printed no result", i);
        fclose(f);
    }
    uint64_t pairs = BENCH_WORDS * (BENCH_WORDS - 1) / 2; // sum of i over the words
    uint64_t words = big ? agg.a * BENCH_WORDS + agg.count * pairs : 0;
    int ok = agg.b == 2 * agg.a && agg.size == agg.count * (big ? 256 : 64) && agg.words == words;

    printf("{\"consumer\":\"c\",\"mode\":\"%s\",\"size\":%d,\"producers\":%d,\"produced\":%llu,"
           "\"consumed\":%llu,\"lost\":%llu,\"window_ns\":%lld,\"cpu_ns\":%lld,\"drains\":%llu,"
           "\"wakeups\":%llu,\"rss_kb\":%ld,\"check\":%s,\"producer_ns\":[",
           mode, big ? 256 : 64, producers, (unsigned long long)produced,
           (unsigned long long)agg.count, (unsigned long long)lost, t1 - t0, cpu1 - cpu0,
           (unsigned long long)drains, (unsigned long long)wakeups, vm_hwm_kb(),
           ok ? "true" : "false");
    for (int i = 0; i < producers; i++)
        printf("%s%lld", i ? "," : "", producerNs[i]);
    printf("],\"producer_count\":[");
    for (int i = 0; i < producers; i++)
        printf("%s%ld", i ? "," : "", producerCount[i]);
    printf("],\"sink\":%llu}\n",
           (unsigned long long)(agg.ts + agg.seq + agg.tgid + agg.tid + agg.cpu + agg.c + agg.d));
    ring_buffer__free(rb);
    bpf_link__destroy(link);
    bpf_object__close(obj);
    return ok ? 0 : 3;
}

// ---- start-up: open → load → attach the programs a plan chose ----

static struct bpf_link *attach_kind(struct bpf_program *prog, const char *kind,
                                    const char *target) {
    if (!strcmp(kind, "tracepoint")) {
        char category[128];
        const char *slash = strchr(target, '/');
        if (!slash || slash - target >= (long)sizeof(category))
            return NULL;
        snprintf(category, sizeof(category), "%.*s", (int)(slash - target), target);
        return bpf_program__attach_tracepoint(prog, category, slash + 1);
    }
    if (!strcmp(kind, "raw_tp"))
        return bpf_program__attach_raw_tracepoint(prog, target);
    if (!strcmp(kind, "kprobe") || !strcmp(kind, "kretprobe"))
        return bpf_program__attach_kprobe(prog, !strcmp(kind, "kretprobe"), target);
    if (!strcmp(kind, "kprobe.multi") || !strcmp(kind, "kretprobe.multi")) {
        LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .retprobe = !strcmp(kind, "kretprobe.multi"));
        return bpf_program__attach_kprobe_multi_opts(prog, target, &opts);
    }
    if (!strcmp(kind, "tp_btf") || !strcmp(kind, "fentry") || !strcmp(kind, "fexit"))
        return bpf_program__attach_trace(prog);
    return bpf_program__attach(prog);
}

static int startup(int argc, char **argv, long long started) {
    const char *objPath = arg(argc, argv, "--obj", NULL);
    if (!objPath)
        die("startup: --obj is required");
    struct bpf_object *obj = bpf_object__open_file(objPath, NULL);
    if (!obj)
        die("open %s: %s", objPath, strerror(errno));
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, obj) bpf_program__set_autoload(prog, false);
    struct {
        char buf[256];
        char *name, *kind, *target;
    } specs[32];
    int nspec = 0;
    for (int i = 2; i + 1 < argc && nspec < 32; i++) {
        if (strcmp(argv[i], "--prog"))
            continue;
        snprintf(specs[nspec].buf, sizeof(specs[nspec].buf), "%s", argv[i + 1]);
        char *name = specs[nspec].buf, *kind = strchr(name, ':'), *target = "";
        if (!kind)
            die("--prog name:kind[:target]");
        *kind++ = 0;
        char *colon = strchr(kind, ':');
        if (colon) {
            *colon = 0;
            target = colon + 1;
        }
        prog = bpf_object__find_program_by_name(obj, name);
        if (!prog)
            die("no program %s", name);
        bpf_program__set_autoload(prog, true);
        int traced = !strcmp(kind, "tp_btf") || !strcmp(kind, "fentry") || !strcmp(kind, "fexit");
        if (*target && traced)
            bpf_program__set_attach_target(prog, 0, target);
        specs[nspec].name = name;
        specs[nspec].kind = kind;
        specs[nspec].target = target;
        nspec++;
    }
    if (bpf_object__load(obj))
        die("load: %s", strerror(errno));
    for (int i = 0; i < nspec; i++)
        if (!attach_kind(bpf_object__find_program_by_name(obj, specs[i].name), specs[i].kind,
                         specs[i].target))
            die("attach %s: %s", specs[i].name, strerror(errno));
    printf("attached %.3f\n", (now_ns() - started) / 1e6);
    fflush(stdout);
    // Links and object are released by process exit, as a tool that exits right away would.
    return 0;
}

int main(int argc, char **argv) {
    long long started = now_ns();
    libbpf_set_print(quiet_libbpf);
    if (argc >= 2 && !strcmp(argv[1], "run"))
        return run(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "startup"))
        return startup(argc, argv, started);
    fprintf(stderr, "usage: consumer run|startup ...\n");
    return 2;
}
