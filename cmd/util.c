/* util.c - helpers every subcommand uses: errors, exit codes, output files. */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"
#include "advisor/inspect/netns.h"
#include "advisor/util/parse.h"

void twa_print_err(const struct twa_err *err)
{
	char buf[1200];

	twa_err_format(err, buf, sizeof(buf));
	fprintf(stderr, "twadvise: %s\n", buf);
}

void twa_errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("twadvise: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void twa_warnf(const char *fmt, ...)
{
	va_list ap;

	fputs("twadvise: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int twa_exit_code(int negerrno)
{
	switch (-negerrno) {
	case 0:
		return 0;
	case EBADMSG:
	case EINVAL:
	case ERANGE:
	case ELOOP:
		return EXIT_DATAERR;
	case ENOENT:
	case ENOTDIR:
		return EXIT_NOINPUT;
	case EIO:
	case ENOSYS:
	case EPROTONOSUPPORT:
	case EAFNOSUPPORT:
	case ECONNREFUSED:
	case EHOSTUNREACH:
	case ETIMEDOUT:
	case EPROTO:		/* TLS: the peer could not be verified */
		return EXIT_UNAVAILABLE;
	case EACCES:
	case EPERM:
	case EROFS:
		return EXIT_NOPERM;
	case EAGAIN:
	case EBUSY:
	case ESTALE:
		return EXIT_TEMPFAIL;
	case ENOSPC:
	case EEXIST:
	case EFBIG:
	case ENAMETOOLONG:
	case EISDIR:
		return EXIT_CANTCREAT;
	default:
		return EXIT_SOFTWARE;
	}
}

int twa_fail(const struct twa_err *err)
{
	twa_print_err(err);
	return twa_exit_code(err->code);
}

int twa_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("twadvise: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, " (see 'twadvise %s --help')\n", cmd);
	else
		fputs(" (see 'twadvise --help')\n", stderr);
	return EXIT_USAGE;
}

int twa_global_option(struct twa_globals *g, int opt, const char *arg,
		      const char *cmd)
{
	const struct twa_command *c;

	switch (opt) {
	case OPT_PROC_ROOT:
		g->proc_root = arg;
		return 0;
	case OPT_NETNS:
		g->netns = arg;
		return 0;
	case OPT_FORMAT:
		g->format = arg;
		return 0;
	case 'o':
	case OPT_OUTPUT:
		g->output = arg;
		return 0;
	case 'q':
	case OPT_QUIET:
		g->quiet++;
		return 0;
	case 'v':
	case OPT_VERBOSE:
		g->verbose++;
		return 0;
	case OPT_COLOR:
		if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never"))
			return twa_usage_error(cmd, "--color takes auto, always or never, not '%s'",
					       arg);
		g->color_mode = arg;
		return 0;
	case OPT_STATE_DIR:
		g->state_dir = arg;
		return 0;
	case OPT_SYSCTL_DIR:
		g->sysctl_dir = arg;
		return 0;
	case 'h':
	case OPT_HELP:
		c = cmd ? twa_command_find(cmd) : NULL;
		if (c)
			twa_command_help(c);
		else
			twa_show_help();
		exit(0);
	case OPT_VERSION:
		printf("twadvise %s\n", TWA_VERSION);
		exit(0);
	case '?':
		return twa_usage_error(cmd, "bad option '%s'", arg ? arg : "");
	default:
		return -1;
	}
}

void twa_globals_finish(struct twa_globals *g)
{
	const char *mode = g->color_mode ? g->color_mode : "auto";
	const char *no_color = getenv("NO_COLOR");

	if (!strcmp(mode, "always"))
		g->color = true;
	else if (!strcmp(mode, "never"))
		g->color = false;
	else
		g->color = (!no_color || !*no_color) && !g->output &&
			   isatty(STDOUT_FILENO);
}

int twa_write_output(const struct twa_globals *g, const struct strbuf *out)
{
	char tmp[4096];
	size_t off = 0;
	int fd, n;

	if (!g->output || !strcmp(g->output, "-")) {
		/* An empty strbuf has no buffer: fwrite(NULL) is undefined. */
		if ((out->len && fwrite(out->buf, 1, out->len, stdout) != out->len) ||
		    fflush(stdout) != 0) {
			twa_errorf("cannot write to standard output: %s", strerror(errno));
			return EXIT_CANTCREAT;
		}
		return 0;
	}
	n = snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", g->output);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		twa_errorf("cannot write '%s': name too long", g->output);
		return EXIT_CANTCREAT;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		twa_errorf("cannot create '%s': %s", tmp, strerror(errno));
		return EXIT_CANTCREAT;
	}
	while (off < out->len) {
		ssize_t w = write(fd, out->buf + off, out->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, g->output) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	twa_errorf("cannot write '%s': %s", g->output, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return EXIT_CANTCREAT;
}

int twa_read_file(const char *path, size_t max, struct strbuf *out,
		  struct twa_err *err)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	int r;

	if (fd < 0)
		return twa_err_set_at(err, -errno, path, 0, 0, "cannot open: %s",
				      strerror(errno));
	r = twa_fd_read_all(fd, path, max, -EBADMSG, out, err);
	if (fd != STDIN_FILENO)
		close(fd);
	return r;
}

int twa_parse_samples(const char *cmd, const char *arg, uint64_t *ret)
{
	if (twa_parse_u64_str(arg, ret) < 0 || !*ret || *ret > 100000)
		return twa_usage_error(cmd, "--samples wants 1 to 100000, not '%s'", arg);
	return 0;
}

int twa_parse_interval(const char *cmd, const char *arg, double *ret)
{
	if (twa_parse_double_str(arg, ret) < 0 || *ret < 0.01 || *ret > 59)
		return twa_usage_error(cmd,
				       "--interval wants seconds from 0.01 to 59 (below the 60 s TIME_WAIT), not '%s'",
				       arg);
	return 0;
}

int twa_enter_netns(const struct twa_globals *g)
{
	struct twa_err err = { 0 };

	if (!g->netns)
		return 0;
	if (twa_netns_enter(g->netns, &err) < 0)
		return twa_fail(&err);
	return 0;
}
