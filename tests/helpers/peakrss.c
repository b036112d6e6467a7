/* SPDX-License-Identifier: MIT */
/* peakrss.c - run a command and report its peak resident set size, for the scale tests.
 *
 *   peakrss OUTFILE COMMAND [ARG...]
 *
 * Runs COMMAND (stdout and stderr as they are), then writes its peak RSS
 * in KiB (getrusage RUSAGE_CHILDREN after wait: ru_maxrss) to OUTFILE and
 * exits with COMMAND's exit status (128+N when killed by signal N). This
 * process is small, so the fork before exec does not inflate the figure
 * the way it would from a shell or an interpreter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *fp;

	if (argc < 3) {
		fprintf(stderr, "usage: peakrss OUTFILE COMMAND [ARG...]\n");
		return 64;
	}
	pid = fork();
	if (pid < 0) {
		perror("peakrss: fork");
		return 71;
	}
	if (!pid) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "peakrss: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("peakrss: waitpid");
			return 71;
		}
	if (getrusage(RUSAGE_CHILDREN, &ru) < 0) {
		perror("peakrss: getrusage");
		return 71;
	}
	fp = fopen(argv[1], "w");
	if (!fp || fprintf(fp, "%ld\n", ru.ru_maxrss) < 0 || fclose(fp) != 0) {
		fprintf(stderr, "peakrss: cannot write %s\n", argv[1]);
		return 73;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
