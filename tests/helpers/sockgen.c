/* SPDX-License-Identifier: MIT */
/* sockgen.c - create known TCP socket states on loopback for tests and bench.
 *
 *   sockgen [--tw N:PORT[,PORT...]] [--close-wait N:PORT] [--fin-wait2 N:PORT]
 *           [--established N:PORT] [--overflow PORT:BACKLOG:CONNECTS]
 *           [--listen N:PORT] [--connect N:PORT] [--syn N:PORT]
 *           [--open N:PORT] [--addr ADDR]
 *           [--ipv6] [--ready-file FILE] [--hold SECS]
 *
 * --tw          N client-side TIME_WAIT sockets toward the ports, round robin
 *               (client closes first, so the client holds TIME_WAIT)
 * --close-wait  N pairs whose client closed: CLOSE_WAIT held here, the
 *               client end an orphaned FIN_WAIT2
 * --fin-wait2   N pairs whose client did shutdown(SHUT_WR): FIN_WAIT2 and
 *               CLOSE_WAIT, both held here
 * --established N connected pairs held open
 * --overflow    a listener with BACKLOG that never accepts, and CONNECTS
 *               non-blocking connects: the accept queue fills and the
 *               kernel counts ListenOverflows
 * --listen      a listener on PORT with backlog N, held, never accepting
 * --connect     N blocking connects toward PORT, each kept open until all
 *               are tried (so each needs its own port), then closed with
 *               SO_LINGER 0 (a reset: no new TIME_WAIT); prints
 *               "connected=A eaddrnotavail=B other=C" on stdout
 * --connect-hold N:PORT  like --connect, but the connected sockets stay
 *               open until exit (prints the same line)
 * --bind-connect N:PORT[,PORT...]  N sockets that bind(ADDR, 0) and then
 *               connect() toward the ports, round robin, held until exit
 *               (the port is bind()'s: lost to every other connect());
 *               prints "connected=A eaddrnotavail=B other=C" (a failing
 *               bind() counts by its errno too)
 * --syn         N non-blocking connects toward PORT, held: when the
 *               server's SYN-ACKs are dropped (an nft rule in this
 *               namespace) they stay in SYN_SENT and retransmit their SYN,
 *               a SYN flood made by an ordinary client
 * --open        N blocking connects toward PORT, held open; closed when
 *               sockgen exits, so toward a peer that has gone silent they
 *               become orphans in FIN_WAIT1 retransmitting their FIN
 * --addr        the address the options after it listen on and connect to
 *               (default: loopback), e.g. one of the host's own addresses
 *               that is not loopback, or ::ffff:127.0.0.1 with --ipv6
 * --ipv4        back to IPv4 for the options after it (after --ipv6)
 *
 * When set up, writes "PID\n" to the ready file (or stdout) and holds the
 * sockets until SIGTERM/SIGINT or SECS (default 120) pass. Every loop is
 * bounded by its count; a failure stops with a message and exit 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static int family = AF_INET;
static const char *addr_text;	/* --addr; NULL: loopback */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "sockgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static socklen_t make_addr(struct sockaddr_storage *ss, unsigned port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((unsigned short)port);
		a->sin6_addr = in6addr_loopback;
		if (addr_text && inet_pton(AF_INET6, addr_text, &a->sin6_addr) != 1)
			die("--addr");
		return sizeof(*a);
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;

	a->sin_family = AF_INET;
	a->sin_port = htons((unsigned short)port);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (addr_text && inet_pton(AF_INET, addr_text, &a->sin_addr) != 1)
		die("--addr");
	return sizeof(*a);
}

static int listener(unsigned port, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, port);
	int one = 1, fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die("bind");
	if (listen(fd, backlog) < 0)
		die("listen");
	return fd;
}

static int connect_to(unsigned port, int flags)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, port);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);

	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS)
		die("connect");
	return fd;
}

/* Parse "N:PORT[,PORT...]" into n and ports. */
static int parse_spec(const char *s, long *n, unsigned *ports, int max)
{
	char *end;
	int k = 0;

	*n = strtol(s, &end, 10);
	if (*n < 0 || *end != ':')
		return -1;
	do {
		long p = strtol(end + 1, &end, 10);

		if (p <= 0 || p > 65535 || k == max)
			return -1;
		ports[k++] = (unsigned)p;
	} while (*end == ',');
	return *end ? -1 : k;
}

static void make_tw(long n, const unsigned *ports, int nports)
{
	int lfd[16], i;
	long k;

	for (i = 0; i < nports; i++)
		lfd[i] = listener(ports[i], 4096);
	for (k = 0; k < n && !stop; k++) {
		int c = connect_to(ports[k % nports], 0);
		int a = accept(lfd[k % nports], NULL, NULL);

		if (a < 0)
			die("accept");
		close(c);	/* the client closes first: it gets TIME_WAIT */
		close(a);
	}
	for (i = 0; i < nports; i++)
		close(lfd[i]);
}

/* Pairs held open; half selects what the client end does. */
enum { HOLD_OPEN, CLIENT_CLOSE, CLIENT_SHUTDOWN };

static void make_pairs(long n, unsigned port, int mode)
{
	int l = listener(port, 4096);
	long k;

	for (k = 0; k < n && !stop; k++) {
		int c = connect_to(port, 0);
		int a = accept(l, NULL, NULL);

		if (a < 0)
			die("accept");
		if (mode == CLIENT_CLOSE)
			close(c);
		else if (mode == CLIENT_SHUTDOWN)
			shutdown(c, SHUT_WR);
		/* a (and c unless closed) stay open until exit */
	}
	close(l);
}

static void report(long ok, long noaddr, long other)
{
	printf("connected=%ld eaddrnotavail=%ld other=%ld\n", ok, noaddr, other);
	fflush(stdout);
}

/* N sockets bound to (ADDR, 0) before connect(), toward the ports in
 * turn; held until exit. */
static void bind_connects(long n, const unsigned *ports, int nports)
{
	long k, ok = 0, noaddr = 0, other = 0;

	for (k = 0; k < n && !stop; k++) {
		struct sockaddr_storage local, ss;
		socklen_t llen = make_addr(&local, 0);
		socklen_t len = make_addr(&ss, ports[k % nports]);
		int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			die("socket");
		if (bind(fd, (struct sockaddr *)&local, llen) == 0 &&
		    connect(fd, (struct sockaddr *)&ss, len) == 0) {
			ok++;
			continue;	/* held until exit */
		}
		if (errno == EADDRNOTAVAIL || errno == EADDRINUSE)
			noaddr++;
		else
			other++;
		close(fd);
	}
	report(ok, noaddr, other);
}

/* N connects kept open, then reset (unless held); counts what the kernel
 * answered. */
static void try_connects(long n, unsigned port, int held)
{
	struct linger lg = { 1, 0 };
	long k, ok = 0, noaddr = 0, other = 0;
	int *fds = calloc((size_t)(n > 0 ? n : 1), sizeof(*fds));

	if (!fds || n > 100000)
		die("--connect");
	for (k = 0; k < n && !stop; k++) {
		struct sockaddr_storage ss;
		socklen_t len = make_addr(&ss, port);
		int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			die("socket");
		fds[ok] = fd;
		if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
			ok++;
			continue;
		}
		if (errno == EADDRNOTAVAIL)
			noaddr++;
		else
			other++;
		close(fd);
	}
	for (k = 0; k < ok && !held; k++) {
		setsockopt(fds[k], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fds[k]);
	}
	free(fds);
	report(ok, noaddr, other);
}

static void make_overflow(const char *spec)
{
	unsigned port, backlog, connects, k;

	if (sscanf(spec, "%u:%u:%u", &port, &backlog, &connects) != 3 ||
	    !port || port > 65535 || connects > 100000) {
		fprintf(stderr, "sockgen: bad --overflow '%s'\n", spec);
		exit(64);
	}
	listener(port, (int)backlog);	/* never accepted */
	for (k = 0; k < connects; k++)
		connect_to(port, SOCK_NONBLOCK);
	/* Let the handshakes and the dropped SYNs happen. */
	usleep(200 * 1000);
}

/* --syn and --open: n connects held until exit (descriptors kept open). */
static void open_held(long n, unsigned port, int flags)
{
	long k;

	for (k = 0; k < n; k++)
		connect_to(port, flags);
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	long hold = 120, n;
	unsigned ports[16];
	struct rlimit rl;
	int i, np;

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	/* Held sockets need descriptors: raise the soft limit to the hard one. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(opt, "--ipv6") || !strcmp(opt, "--ipv4")) {
			family = opt[5] == '6' ? AF_INET6 : AF_INET;
			continue;
		}
		if (!arg) {
			fprintf(stderr, "sockgen: %s needs an argument\n", opt);
			return 64;
		}
		i++;
		if (!strcmp(opt, "--ready-file")) {
			ready = arg;
		} else if (!strcmp(opt, "--addr")) {
			addr_text = arg;
		} else if (!strcmp(opt, "--hold")) {
			hold = atol(arg);
		} else if (!strcmp(opt, "--overflow")) {
			make_overflow(arg);
		} else if ((np = parse_spec(arg, &n, ports, 16)) <= 0) {
			fprintf(stderr, "sockgen: bad %s '%s'\n", opt, arg);
			return 64;
		} else if (!strcmp(opt, "--tw")) {
			make_tw(n, ports, np);
		} else if (!strcmp(opt, "--close-wait")) {
			make_pairs(n, ports[0], CLIENT_CLOSE);
		} else if (!strcmp(opt, "--fin-wait2")) {
			make_pairs(n, ports[0], CLIENT_SHUTDOWN);
		} else if (!strcmp(opt, "--established")) {
			make_pairs(n, ports[0], HOLD_OPEN);
		} else if (!strcmp(opt, "--listen")) {
			listener(ports[0], (int)n);	/* held until exit */
		} else if (!strcmp(opt, "--syn")) {
			open_held(n, ports[0], SOCK_NONBLOCK);
		} else if (!strcmp(opt, "--open")) {
			open_held(n, ports[0], 0);
		} else if (!strcmp(opt, "--connect")) {
			try_connects(n, ports[0], 0);
		} else if (!strcmp(opt, "--connect-hold")) {
			try_connects(n, ports[0], 1);
		} else if (!strcmp(opt, "--bind-connect")) {
			bind_connects(n, ports, np);
		} else {
			fprintf(stderr, "sockgen: unknown option %s\n", opt);
			return 64;
		}
	}
	/* Let loopback finish the closing handshakes before saying ready. */
	usleep(100 * 1000);
	if (ready) {
		char tmp[4096];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", ready);
		f = fopen(tmp, "w");
		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0 ||
		    rename(tmp, ready) < 0)
			die("ready file");
	} else {
		printf("%d\n", (int)getpid());
		fflush(stdout);
	}
	for (n = 0; n < hold * 10 && !stop; n++)
		usleep(100 * 1000);
	return 0;
}
