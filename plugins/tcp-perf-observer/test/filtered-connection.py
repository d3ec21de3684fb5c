"""One TCP connection with a deterministic life cycle and deterministic receive drops, for the
live test. Runs in a network namespace, driven line by line over stdin/stdout.

server HOST PORT: listens; on the connection, attaches a classic BPF socket filter that drops
every segment (so the kernel frees each arriving segment with reason SOCKET_FILTER and counts it
in the socket's sk_drops); after the first drop it detaches the filter and prints the socket's
own drop counter (SO_MEMINFO); then reads to EOF, replies and closes.
client HOST PORT CPORT: connects from CPORT; on "send" sends 1000 bytes, half-closes, reads the
reply to EOF and closes.
Both print their namespace's Tcp counters (/proc/net/snmp) at start and end.
"""
import ctypes
import socket
import struct
import sys
import time

SO_ATTACH_FILTER, SO_DETACH_FILTER, SO_MEMINFO = 26, 27, 55
SK_MEMINFO_DROPS = 8


def say(*words):
    print(*words, flush=True)


def snmp(tag):
    lines = [l.split() for l in open("/proc/net/snmp") if l.startswith("Tcp:")]
    names, values = lines[0][1:], lines[1][1:]
    say(tag, *("%s=%s" % nv for nv in zip(names, values)))


def drops(sock):
    info = sock.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 4 * 9)
    return struct.unpack("9I", info)[SK_MEMINFO_DROPS]


def server(host, port):
    snmp("snmp-start")
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1)
    say("ready")
    conn, _ = srv.accept()
    drop_all = ctypes.create_string_buffer(struct.pack("HBBI", 0x06, 0, 0, 0))  # BPF_RET|BPF_K 0
    prog = struct.pack("HL", 1, ctypes.addressof(drop_all))
    conn.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, prog)
    say("filtered")
    deadline = time.time() + 30
    while drops(conn) == 0 and time.time() < deadline:
        time.sleep(0.01)
    conn.setsockopt(socket.SOL_SOCKET, SO_DETACH_FILTER, 0)
    say("drops", drops(conn))  # read after detaching: nothing is dropped any more
    n = 0
    while True:
        data = conn.recv(65536)
        if not data:
            break
        n += len(data)
    conn.sendall(str(n).encode())
    conn.close()
    srv.close()
    sys.stdin.readline()  # "end": the client saw the close
    snmp("snmp-end")


def client(host, port, cport):
    snmp("snmp-start")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("", cport))
    sock.connect((host, port))
    say("connected")
    sys.stdin.readline()  # "send"
    sock.sendall(b"x" * 1000)
    sock.shutdown(socket.SHUT_WR)
    reply = b""
    while True:
        data = sock.recv(65536)
        if not data:
            break
        reply += data
    sock.close()
    say("reply", reply.decode())
    snmp("snmp-end")



if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]))
    else:
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
