"""Exit with a clear message, not a traceback, when the port `make run` wants is already taken.

Usage: python3 scripts/port_free.py PORT [HOST]. Standard library only: it runs before install.
"""

import errno
import socket
import sys


def port_problem(port, host="127.0.0.1"):
    """None when ``host:port`` can be listened on, else what to tell the user."""
    if not 1 <= port <= 65535:
        return f"PORT={port} n'est pas un port valide (1-65535)."
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As runserver does: a port left in TIME_WAIT by a stopped server counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"Le port {port} est déjà pris sur {host} (port {port} is already in use): "
                    f"arrêtez le programme qui l'occupe ou choisissez-en un autre, "
                    f"par exemple : make run PORT={port + 1}"
                )
            if error.errno == errno.EACCES:
                return f"Le port {port} est réservé (permission denied) : prenez-en un > 1024."
            return f"Impossible d'écouter sur {host}:{port} : {error.strerror}."
    return None


def main(argv):
    try:
        port = int(argv[1])
    except (IndexError, ValueError):
        print("Usage : make run PORT=8001 (un nombre entre 1 et 65535)", file=sys.stderr)
        return 2
    problem = port_problem(port, *argv[2:3])
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
