"""One root exception for the graph layer; each subclass builds a one-line message that says what to do."""

from __future__ import annotations


class GraphError(Exception):
    """Root of every error raised by `graph`."""


class LauncherError(GraphError):
    """The local Neo4j could not be started, checked or stopped."""


class JavaMissing(LauncherError):
    def __init__(self, java: str, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"Java 17 or 21 is needed to run the local Neo4j, but '{java}' is not usable{extra}; "
            "install a JDK (apt-get install openjdk-17-jdk-headless) or set KG_JAVA, "
            "or point NEO4J_URI at an existing Neo4j"
        )


class MavenMissing(LauncherError):
    def __init__(self, mvn: str, jars_dir: str) -> None:
        super().__init__(
            f"the Neo4j jars are not in {jars_dir} and Maven ('{mvn}') is not on PATH to fetch them; "
            "install Maven (apt-get install maven) or set KG_MVN, or point NEO4J_URI at an existing Neo4j"
        )


class JarsUnavailable(LauncherError):
    def __init__(self, log: str, tail: str) -> None:
        super().__init__(
            f"Maven could not resolve the Neo4j jars from Maven Central ({tail}); check the network "
            f"or proxy settings in ~/.m2/settings.xml and retry; full log: {log}"
        )


class PortInUse(LauncherError):
    def __init__(self, port: int) -> None:
        super().__init__(
            f"port {port} on 127.0.0.1 is already taken by another program; "
            "pass --port with a free port (or set KG_NEO4J_PORT), or stop what holds it"
        )


class AlreadyRunning(LauncherError):
    def __init__(self, pid: int, uri: str, data_dir: str) -> None:
        self.pid, self.uri = pid, uri
        super().__init__(
            f"Neo4j for {data_dir} is already running (pid {pid}) at {uri}; "
            "use `kg neo4j stop` first to restart it"
        )


class StartFailed(LauncherError):
    def __init__(self, reason: str, log: str) -> None:
        super().__init__(f"the local Neo4j did not start: {reason}; see {log}")


class StopFailed(LauncherError):
    def __init__(self, pid: int, reason: str) -> None:
        super().__init__(f"could not stop the local Neo4j (pid {pid}): {reason}")


class Neo4jUnavailable(GraphError):
    def __init__(self, uri: str, reason: str) -> None:
        super().__init__(
            f"Neo4j at {uri} is not reachable ({reason}); start it with `kg neo4j start` "
            "or check NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD"
        )
