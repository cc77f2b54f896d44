/* diff_links.c — symbolic and hard links made by the guest inside its
 * mount: symlink, readlink, stat through a link vs lstat of it, link and
 * the link count, unlinking one name of two. (Not here, because Node's
 * WASI departs from POSIX on them: readlink into a short buffer, which Node
 * fails with ENOBUFS, and O_NOFOLLOW, which Node ignores.)
 *   diff_links [MOUNT]   (default /sandbox; expects MOUNT/given.txt) */
#include "diff_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *m = argc > 1 ? argv[1] : "/sandbox";
    step("symlink", symlink("given.txt", in_mount(m, "link-to-given")) == 0);
    step("symlink again", symlink("given.txt", in_mount(m, "link-to-given")) == 0);
    step("dangling symlink", symlink("nowhere.txt", in_mount(m, "dangling")) == 0);
    char target[256];
    ssize_t n = readlink(in_mount(m, "link-to-given"), target, sizeof target);
    if (step("readlink", n >= 0)) printf("  -> [%.*s]\n", (int)n, target);
    step("readlink of a regular file", readlink(in_mount(m, "given.txt"), target, sizeof target) >= 0);
    struct stat st;
    if (step("stat through link", stat(in_mount(m, "link-to-given"), &st) == 0))
        printf("  regular %d, size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
    if (step("lstat link", lstat(in_mount(m, "link-to-given"), &st) == 0))
        printf("  symlink %d, size %lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
    step("stat dangling", stat(in_mount(m, "dangling"), &st) == 0);
    int fd = open(in_mount(m, "link-to-given"), O_RDONLY);
    char buf[64] = {0};
    if (step("open through link", fd >= 0)) {
        printf("  read [%.*s]\n", (int)read(fd, buf, sizeof buf - 1), buf);
        close(fd);
    }

    step("hard link", link(in_mount(m, "given.txt"), in_mount(m, "hard.txt")) == 0);
    if (step("stat hard.txt", stat(in_mount(m, "hard.txt"), &st) == 0))
        printf("  links %llu, size %lld\n", (unsigned long long)st.st_nlink, (long long)st.st_size);
    step("hard link onto existing", link(in_mount(m, "given.txt"), in_mount(m, "hard.txt")) == 0);
    step("unlink given.txt", unlink(in_mount(m, "given.txt")) == 0);
    if (step("stat hard.txt", stat(in_mount(m, "hard.txt"), &st) == 0))
        printf("  links %llu\n", (unsigned long long)st.st_nlink);
    step("stat through now-dangling link", stat(in_mount(m, "link-to-given"), &st) == 0);
    step("unlink symlink", unlink(in_mount(m, "link-to-given")) == 0);
    return 0;
}
