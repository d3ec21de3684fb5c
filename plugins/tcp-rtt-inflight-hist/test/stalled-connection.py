"""One TCP connection the live test stalls on purpose, driven line by line over stdin/stdout
(each side in its own network namespace).

server HOST PORT: accepts one connection; "poke" sends it one byte; prints "received N" once N
bytes arrived; "end" closes.
client HOST PORT CPORT BYTES: connects from CPORT (Nagle off); "send" writes BYTES in one write;
prints "poked" when the server's byte arrives; "end" closes.
"""
import socket
import sys


def say(*words):
    print(*words, flush=True)


def command():
    return sys.stdin.readline().strip()


def server(host, port, expect):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(1)
    say("ready")
    conn, _ = srv.accept()
    say("accepted")
    if command() == "poke":
        conn.sendall(b"p")
    n = 0
    while n < expect:
        data = conn.recv(65536)
        if not data:
            break
        n += len(data)
    say("received", n)
    command()  # "end"
    conn.close()
    srv.close()


def client(host, port, cport, size):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("", cport))
    sock.connect((host, port))
    say("connected")
    command()  # "send"
    sock.sendall(b"x" * size)
    say("sent")
    if sock.recv(1) == b"p":
        say("poked")
    command()  # "end"
    sock.close()


if __name__ == "__main__":
    role, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if role == "server":
        server(host, port, int(sys.argv[4]))
    else:
        client(host, port, int(sys.argv[4]), int(sys.argv[5]))
