/*
 * replay.c — runs a libFuzzer target over every file of a corpus directory without libFuzzer,
 * so `make test` (built with gcc) checks that no input that was ever found to crash a parser
 * crashes it again. Exit 0 when every input ran; 2 on a usage or I/O error.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    unsigned char *buf = malloc(1 << 20);
    if (!buf) {
        fclose(f);
        return -1;
    }
    size_t n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 2;
    }
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        if (snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name) >= (int)sizeof(path))
            continue;
        if (run_file(path) != 0) {
            closedir(d);
            return 2;
        }
        count++;
    }
    closedir(d);
    printf("%d inputs replayed from %s\n", count, argv[1]);
    return count > 0 ? 0 : 2;
}
