#!/bin/sh
# Copy the live site to the web server and switch it there atomically: the
# server's site is never half updated (docs/deploy.md). `make deploy` runs it:
#
#   sh deploy.sh SITE HOST PATH
#
# SITE  the local output link (output/): its live slot is copied.
# HOST  the server, as ssh knows it (user@host); empty: PATH is on this machine.
# PATH  the site's folder on the server. It holds releases/<name>/ (one copy
#       per deploy; files unchanged since the last one are hard links to it,
#       rsync --link-dest) and current -> releases/<name>, which nginx serves.
#       A deploy uploads into a new release folder, then renames a new link
#       over `current` (ln -s + mv -T: one rename(2)), then deletes old
#       releases but the last DEPLOY_KEEP.
#
# Environment: DEPLOY_SSH (the ssh command, default "ssh"; e.g. "ssh -p 2222"),
# DEPLOY_KEEP (releases kept, default 5; at least 2).
# Exit status: 0 deployed; 1 nothing to deploy; 2 usage; 3 the copy or the
# switch failed (the server's site is as it was).
set -eu

SITE=${1:-}
HOST=${2:-}
DEST=${3:-}
SSH=${DEPLOY_SSH:-ssh}
KEEP=${DEPLOY_KEEP:-5}

say() { printf '%s\n' "$*" >&2; }

if [ -z "$SITE" ] || [ -z "$DEST" ]; then
    say "用法：make deploy DEPLOY_PATH=/srv/zfgs [DEPLOY_HOST=user@服务器]（见 docs/deploy.md）；没有设置 DEPLOY_PATH，未部署任何内容。"
    exit 2
fi
case $KEEP in
    '' | *[!0-9]* | 0 | 1) say "DEPLOY_KEEP 应为不小于 2 的整数（现在是“$KEEP”），未部署任何内容。"; exit 2 ;;
esac
for tool in rsync flock; do
    command -v "$tool" >/dev/null 2>&1 || { say "本机没有 $tool 命令，未部署任何内容：请先安装（Debian：apt-get install $tool）。"; exit 2; }
done

SRC=$(readlink -f "$SITE" 2>/dev/null || true)
if [ -z "$SRC" ] || [ ! -f "$SRC/index.html" ]; then
    say "没有可部署的网站（$SITE 中没有 index.html），未部署任何内容：请先运行 make publish。"
    exit 1
fi

# Single quotes for the server's shell.
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
# A command on the server (or here, without HOST).
on_server() {
    if [ -z "$HOST" ]; then sh -c "$1"; else $SSH "$HOST" "$1"; fi
}

# No build may switch the slot being copied: hold the build lock (publish.py's
# flock), waiting for a running build to finish first.
NAME=$(basename "$SITE")
LOCK="$(dirname "$SITE")/.$NAME.slots/build.lock"
if [ -f "$LOCK" ]; then
    exec 9<"$LOCK"
    flock -w 3600 9 || { say "等待正在运行的构建超过一小时，未部署任何内容。"; exit 3; }
    SRC=$(readlink -f "$SITE")  # the slot live now, after any build that just finished
fi

RELEASE=$(date +%Y%m%d-%H%M%S)-$$
D=$(q "$DEST")
if [ -z "$HOST" ]; then TARGET=$DEST; else TARGET=$HOST:$DEST; fi

fail() {
    say "部署失败：$1。服务器上的网站保持不变；未完成的副本已删除。"
    on_server "rm -rf $D/releases/$RELEASE" 2>/dev/null || true
    exit 3
}

CURRENT=$(on_server "mkdir -p $D/releases && if [ -L $D/current ]; then basename \"\$(readlink $D/current)\"; \
elif [ -e $D/current ]; then echo '!'; fi") || fail "无法在 ${HOST:-本机} 上建立 $DEST/releases"
if [ "$CURRENT" = "!" ]; then
    say "服务器上的 $DEST/current 不是符号链接，未部署任何内容：请把它移走（或改名），再运行 make deploy。"
    exit 3
fi

# Files unchanged since the current release are hard links to it: the copy
# costs only what changed (publish.py keeps unchanged files' mtimes).
# --modify-window=-1: mtimes compared to the nanosecond, not the second, so a
# file rewritten with the same size within one second is still copied.
LINK=""
if [ -n "$CURRENT" ]; then LINK="--link-dest=../$CURRENT"; fi
rsync -a --modify-window=-1 --delete $LINK -e "$SSH" "$SRC/" "$TARGET/releases/$RELEASE/" || fail "rsync 复制出错"

# The switch: one rename of a new link over `current`.
on_server "cd $D && ln -sfn releases/$RELEASE .current.new && mv -T .current.new current" \
    || fail "无法切换 $DEST/current"

on_server "cd $D/releases && ls -1 | sort | head -n -$KEEP | while read -r old; do \
[ \"\$old\" = $(q "$RELEASE") ] || rm -rf -- \"\$old\"; done" \
    || say "注意：已部署，但删除旧版本时出错（不影响网站）。"
say "已部署：${HOST:+$HOST:}$DEST/current -> releases/$RELEASE（上一版本：${CURRENT:-无}）。"
