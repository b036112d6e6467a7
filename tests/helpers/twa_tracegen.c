/* SPDX-License-Identifier: MIT */
/* twa_tracegen.c - known connection histories for the tracer's tests and bench.
 *
 *   twa_tracegen PORT N M K L READY_FILE
 *       A server child (comm "twa-trsrv") listens on 127.0.0.1:PORT. This
 *       process (comm "twa_tracegen") opens N+M+L connections to it, all at
 *       once, then K connect()s that must fail with EADDRNOTAVAIL (the test
 *       narrows ip_local_port_range to exactly N+M+L ports, reuse off); then
 *       closes N client-first (it ends in TIME_WAIT), M server-first (it
 *       passes through CLOSE_WAIT) and keeps L in CLOSE_WAIT. Writes
 *       "connected=A eaddrnotavail=B\n" to READY_FILE when all that is done
 *       and holds the L sockets until SIGTERM (or 120 s).
 *   twa_tracegen --loop PORT SECS
 *       bench: connect/accept/close on loopback as fast as it can for SECS,
 *       prints the connections per second.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXC 4096

static struct sockaddr_in dest(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void die(const char *what)
{
	fprintf(stderr, "twa_tracegen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int listener(int port)
{
	struct sockaddr_in a = dest(port);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1024))
		die("listen");
	return fd;
}

/* The server: accept n, read each one's kind; close 's' and 'l' at once
 * (server first), then wait for EOF on the 'c' ones and close them. */
static void serve(int lfd, int n, int done_fd)
{
	static int fds[MAXC];
	static char kind[MAXC];
	char b;
	int i;

	prctl(PR_SET_NAME, "twa-trsrv");
	prctl(PR_SET_PDEATHSIG, SIGKILL);	/* ends with the client */
	for (i = 0; i < n; i++) {
		fds[i] = accept(lfd, NULL, NULL);
		if (fds[i] < 0 || read(fds[i], &kind[i], 1) != 1)
			die("server accept/read");
	}
	for (i = 0; i < n; i++)
		if (kind[i] != 'c')
			close(fds[i]);
	if (write(done_fd, "a", 1) != 1)
		die("write");
	for (i = 0; i < n; i++)
		if (kind[i] == 'c') {
			while (read(fds[i], &b, 1) > 0)
				;
			close(fds[i]);
		}
	if (write(done_fd, "c", 1) != 1)
		die("write");
	pause();
}

static int connect_to(int port, int *err)
{
	struct sockaddr_in a = dest(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		return fd;
	*err = errno;
	close(fd);
	return -1;
}

static void wait_byte(int fd, char want)
{
	char b;

	if (read(fd, &b, 1) != 1 || b != want)
		die("server progress");
}

static int history(int port, int n, int m, int k, int l, const char *ready)
{
	static int fds[MAXC];
	int i, total = n + m + l, p[2], lfd, failed = 0, err = 0, connected = 0;
	pid_t srv;
	char b;
	FILE *f;

	if (total > MAXC || pipe(p))
		die("setup");
	lfd = listener(port);
	srv = fork();
	if (srv == 0)
		serve(lfd, total, p[1]);
	close(lfd);
	for (i = 0; i < total; i++) {
		fds[i] = connect_to(port, &err);
		if (fds[i] < 0)
			die("connect");
		connected++;
		b = i < n ? 'c' : i < n + m ? 's' : 'l';
		if (write(fds[i], &b, 1) != 1)
			die("write");
	}
	wait_byte(p[0], 'a');		/* server closed the 's' and 'l' ones */
	for (i = 0; i < k; i++)
		if (connect_to(port, &err) < 0 && err == EADDRNOTAVAIL)
			failed++;
	for (i = 0; i < n; i++)		/* client first */
		close(fds[i]);
	wait_byte(p[0], 'c');
	for (i = n; i < n + m; i++) {	/* server first: read its EOF, then close */
		while (read(fds[i], &b, 1) > 0)
			;
		close(fds[i]);
	}
	usleep(200000);			/* the last ACKs */
	f = fopen(ready, "w");
	if (!f)
		die(ready);
	fprintf(f, "connected=%d eaddrnotavail=%d\n", connected, failed);
	fclose(f);
	sleep(120);
	kill(srv, SIGKILL);
	return 0;
}

/* bench: as many loopback connections as SECS allow, each accepted and closed. */
static int loop(int port, double secs)
{
	struct timespec t0, t;
	int lfd = listener(port), err = 0;
	unsigned long count = 0;
	double el = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (el < secs) {
		int c = connect_to(port, &err), a;

		if (c < 0)
			die("connect");
		a = accept(lfd, NULL, NULL);
		if (a < 0)
			die("accept");
		close(c);
		close(a);
		count++;
		clock_gettime(CLOCK_MONOTONIC, &t);
		el = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
	}
	printf("%.0f\n", (double)count / el);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--loop"))
		return loop(atoi(argv[2]), atof(argv[3]));
	if (argc != 7) {
		fprintf(stderr, "usage: twa_tracegen PORT N M K L READY_FILE | --loop PORT SECS\n");
		return 64;
	}
	signal(SIGTERM, SIG_DFL);
	return history(atoi(argv[1]), atoi(argv[2]), atoi(argv[3]), atoi(argv[4]),
		       atoi(argv[5]), argv[6]);
}
