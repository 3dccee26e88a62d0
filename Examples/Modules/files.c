/* The wasi example: a WASI command that works in a preopened directory.
   Usage: files DIR [FILE]
   - lists DIR (names sorted, with their sizes; "." and ".." skipped),
   - prints FILE (default "greeting.txt") from DIR,
   - sums the numbers in DIR/numbers.txt and writes the sum to DIR/sum.txt,
   - tries to open "DIR/../outside.txt" and reports that the sandbox refused it.
   Exit status: 0 on success, 2 if FILE cannot be read, 1 on any other failure.
   Build: ./build.sh (python3 -m ziglang cc -target wasm32-wasi -O2 -s files.c -o files.wasm) */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int compare(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: files DIR [FILE]\n");
        return 1;
    }
    const char *dir = argv[1];
    const char *file = argc > 2 ? argv[2] : "greeting.txt";
    char path[512];

    /* List the directory, sorted (readdir's order is the host's). */
    DIR *d = opendir(dir);
    if (!d) { perror(dir); return 1; }
    char *names[64];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) && count < 64) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof names[0], compare);
    printf("%s holds %d entries:\n", dir, count);
    for (int i = 0; i < count; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &st) != 0) { perror(path); return 1; }
        if (S_ISDIR(st.st_mode)) printf("  %s/\n", names[i]);
        else printf("  %s (%lld bytes)\n", names[i], (long long)st.st_size);
        free(names[i]);
    }

    /* Print a file. */
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    if (!f) {
        fflush(stdout); /* what was printed so far first (stdout is buffered) */
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        return 2;
    }
    char line[256];
    printf("%s says:", file);
    while (fgets(line, sizeof line, f)) printf(" %s", line);
    fclose(f);

    /* Sum numbers.txt into sum.txt. */
    snprintf(path, sizeof path, "%s/numbers.txt", dir);
    f = fopen(path, "r");
    if (!f) { perror(path); return 1; }
    long sum = 0, n;
    while (fscanf(f, "%ld", &n) == 1) sum += n;
    fclose(f);
    snprintf(path, sizeof path, "%s/sum.txt", dir);
    f = fopen(path, "w");
    if (!f || fprintf(f, "%ld\n", sum) < 0 || fclose(f) != 0) { perror(path); return 1; }
    printf("sum of numbers.txt: %ld (written to sum.txt)\n", sum);

    /* The sandbox: nothing outside the preopened directory is reachable. */
    snprintf(path, sizeof path, "%s/../outside.txt", dir);
    f = fopen(path, "r");
    if (f) { printf("escaped the sandbox!\n"); return 1; }
    printf("opening %s: %s (the sandbox)\n", path, strerror(errno));
    return 0;
}
