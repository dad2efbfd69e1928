// The C reference of bench/rate-side-by-side.sh (docs/benchmarks.md, section 2): one thread keeping an open-loop
// schedule of RATE connections a second for SECONDS, sleeping until each intended start, then making the system
// calls conlimit's direct path makes (socket, SO_LINGER 0, non-blocking connect, TCP_INFO, close). A start is late
// when its connect() ran more than 1 ms behind its intended time, as in conlimit.
//   cc -O2 -o rate-paced bench/rate-paced.c && ./rate-paced 127.0.0.1 9000 20000 10
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s HOST PORT RATE SECONDS\n", argv[0]);
        return 2;
    }
    double rate = atof(argv[3]), secs = atof(argv[4]);
    if (rate <= 0 || secs <= 0 || rate * secs > 10000000) {
        fprintf(stderr, "rate-paced: RATE and SECONDS must be above 0, at most 10,000,000 connections in all\n");
        return 2;
    }
    long n = (long) (rate * secs), gap = (long) (1e9 / rate), start = now() + 5000000, late = 0, failed = 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    if (inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) {
        fprintf(stderr, "rate-paced: %s is not an IPv4 address\n", argv[1]);
        return 2;
    }
    struct linger rst = {1, 0};
    for (long i = 0; i < n; i++) {
        long intended = start + i * gap;
        struct timespec ts = {intended / 1000000000L, intended % 1000000000L};
        if (now() < intended) clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        if (now() - intended > 1000000) late++;
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            failed++;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
        connect(fd, (struct sockaddr *) &a, sizeof a);
        struct tcp_info ti;
        socklen_t l = sizeof ti;
        getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l);
        close(fd);
    }
    printf("late %ld of %ld (%.2f%%), %ld sockets not created\n", late, n, 100.0 * late / n, failed);
    return 0;
}
