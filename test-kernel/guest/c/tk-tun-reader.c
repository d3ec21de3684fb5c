// tk-tun-reader [-p] [-N] [-w GATE] [-n COUNT] [-s SECONDS] NAME
// Creates tun (or, with -p, tap) device NAME, prints "ready NAME", then reads packets until COUNT
// were read or SECONDS passed, and prints "packets N bytes B tx_dropped D" (D: the device's own
// counter, read before the device goes away with this process). A tun device has no carrier while
// nobody holds it open, so without a reader the stack never reaches tun_net_xmit.
// -N creates the device with IFF_NAPI (writes go through NAPI; tun_file->napi_enabled).
// -w GATE holds the device open without reading until the file GATE exists: what the host sends
// meanwhile waits in the queue's tx_ring, and once the ring is full tun_net_xmit drops.
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
    int tap = 0, napi = 0, opt;
    long count = -1, seconds = 10;
    const char *gate = NULL;
    while ((opt = getopt(argc, argv, "pNw:n:s:")) != -1) {
        switch (opt) {
        case 'p':
            tap = 1;
            break;
        case 'N':
            napi = 1;
            break;
        case 'w':
            gate = optarg;
            break;
        case 'n':
            count = atol(optarg);
            break;
        case 's':
            seconds = atol(optarg);
            break;
        default:
            goto usage;
        }
    }
    if (optind != argc - 1 || strlen(argv[optind]) >= IFNAMSIZ)
        goto usage;

    int fd = open("/dev/net/tun", O_RDWR);
    if (fd < 0) {
        perror("open /dev/net/tun (is the tun module loaded?)");
        return 1;
    }
    struct ifreq ifr = {0};
    ifr.ifr_flags = (tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI | (napi ? IFF_NAPI : 0);
    strcpy(ifr.ifr_name, argv[optind]);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        perror("TUNSETIFF");
        return 1;
    }
    printf("ready %s\n", ifr.ifr_name);
    fflush(stdout);

    long packets = 0, bytes = 0, deadline = now_ms() + seconds * 1000;
    struct stat st;
    while (gate && stat(gate, &st) != 0 && now_ms() < deadline)
        usleep(20000);
    static char buf[65536];
    while ((count < 0 || packets < count) && now_ms() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            packets++;
            bytes += n;
        }
    }
    char path[64 + IFNAMSIZ], dropped[32] = "unknown";
    snprintf(path, sizeof path, "/sys/class/net/%s/statistics/tx_dropped", ifr.ifr_name);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%31s", dropped) != 1)
            strcpy(dropped, "unknown");
        fclose(f);
    }
    printf("packets %ld bytes %ld tx_dropped %s\n", packets, bytes, dropped);
    return 0;
usage:
    fprintf(stderr, "usage: tk-tun-reader [-p] [-N] [-w GATE] [-n COUNT] [-s SECONDS] NAME\n");
    return 2;
}
