// The C reference of bench/burst-side-by-side.sh: N non-blocking connects in a tight loop, then held.
//   cc -O2 -o burst-held bench/burst-held.c && ./burst-held 127.0.0.1 9000 9000 8
// Like conlimit's burst: every socket is created (SO_LINGER 0 set, so that the exit resets them and leaves no
// TIME_WAIT) before the timed loop, which does nothing but connect(). Prints the loop's own spread and the wall
// time of its first connect() call, then holds the connections for HOLD seconds and exits (the kernel closes
// them). docs/benchmarks.md section 1 has the same loop without the hold.
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s HOST PORT N HOLD_SECONDS\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[3]);
    int *fds = malloc(sizeof(int) * n);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
    inet_pton(AF_INET, argv[1], &a.sin_addr);
    struct linger rst = {1, 0};
    for (int i = 0; i < n; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fds[i] < 0) {
            perror("socket");
            return 3;
        }
        setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
    }
    struct timespec wall, t0, t1;
    clock_gettime(CLOCK_REALTIME, &wall);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) {
        connect(fds[i], (struct sockaddr *) &a, sizeof a);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("first_connect_unix_ns %lld\nspread_ms %.3f\n", (long long) wall.tv_sec * 1000000000LL + wall.tv_nsec,
           (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
    fflush(stdout);
    sleep(atoi(argv[4]));
    return 0;
}
