# shellcheck shell=bash
# The one place that names the base of the series and the project's git
# identity. Every script sources it.
#
# The base is one exact revision of a Debian package: Debian revises its
# linux-source packages (6.1.192-1, -2 and -3 all exist), and each
# revision gives another base tree, so another base-commit in series/.

base_package=linux-source-6.12
base_version=6.12.118-1~deb12u1
base_tarball=/usr/src/$base_package.tar.xz
base_topdir=$base_package

# The identity of the series' commits and of git format-patch's cover
# letter; and of nothing the user's git configuration says. Git reads
# neither the global nor the system configuration in these scripts:
# user.*, format.*, am.*, core.autocrlf or commit.gpgsign there would
# change what the scripts make. Repositories the scripts create carry
# their own settings.
project_name="Seed b8619214 maintainers"
project_email="maintainers@users.noreply.h-seed-b8619214.example"
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=$project_name GIT_AUTHOR_EMAIL=$project_email
export GIT_COMMITTER_NAME=$project_name GIT_COMMITTER_EMAIL=$project_email
