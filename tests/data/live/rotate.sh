#!/bin/sh
# rotate.sh STATE_DIR — stands in for `cat /proc/vmallocinfo` on a board
# whose vmalloc space changes: each call prints the next of three
# snapshots, then starts over, counting its calls in STATE_DIR/count
# (tests/test_view_live.c). Lines come from the arm32 Zynq sample and
# stay sorted by address, as the kernel prints them.
#   1  samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt as it is
#   2  freed: bpf_prog_alloc at 0xd080e000, n_tty_open at 0xd09d5000
#      added: n_tty_open at 0xd0934000, xt_alloc_table_info at 0xd0ab2000
#   3  freed: n_tty_open at 0xd0934000
#      added: bpf_prog_alloc at 0xd080e000, xt_alloc_table_info at 0xd0938000
set -e
state=${1:?usage: rotate.sh STATE_DIR}
sample=$(dirname "$0")/../../../samples/arm32-zynq-xilinx-4.4.0-vmallocinfo.txt
n=0
[ -f "$state/count" ] && n=$(cat "$state/count")
n=$((n + 1))
echo "$n" >"$state/count"

snap2() {
	grep -v -e '^0xd080e000-' -e '^0xd09d5000-' "$sample"
	echo '0xd0934000-0xd0938000   16384 n_tty_open+0x10/0xc8 pages=3 vmalloc'
	echo '0xd0ab2000-0xd0ab6000   16384 xt_alloc_table_info+0x54/0x9c pages=3 vmalloc'
}

snap3() {
	snap2 | grep -v -e '^0xd0934000-'
	echo '0xd080e000-0xd0810000    8192 bpf_prog_alloc+0x34/0xa8 pages=1 vmalloc'
	echo '0xd0938000-0xd0940000   32768 xt_alloc_table_info+0x54/0x9c pages=7 vmalloc'
}

case $(((n - 1) % 3 + 1)) in
1) cat "$sample" ;;
2) snap2 | LC_ALL=C sort ;;
3) snap3 | LC_ALL=C sort ;;
esac
