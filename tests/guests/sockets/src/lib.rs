//! Hostile guest: imports `wasi:sockets`, as componentized interpreters do,
//! and tries each use of it: a TCP connect, a UDP bind and a name lookup.
//! It loads (the import is accepted); every call's WASI context must deny
//! all three. Its output names what each attempt got.
use baton_sdk::prelude::*;
use wasi::sockets::instance_network::instance_network;
use wasi::sockets::ip_name_lookup::resolve_addresses;
use wasi::sockets::network::{
    ErrorCode, IpAddressFamily, IpSocketAddress, Ipv4SocketAddress, Network,
};
use wasi::sockets::tcp_create_socket::create_tcp_socket;
use wasi::sockets::udp_create_socket::create_udp_socket;

struct Sockets;

fn loopback(port: u16) -> IpSocketAddress {
    IpSocketAddress::Ipv4(Ipv4SocketAddress {
        port,
        address: (127, 0, 0, 1),
    })
}

/// `ok`, or the error code's name.
fn outcome(r: Result<(), ErrorCode>) -> String {
    match r {
        Ok(()) => "ok".into(),
        Err(e) => e.name().to_owned(),
    }
}

fn tcp(network: &Network, port: u16) -> Result<(), ErrorCode> {
    let socket = create_tcp_socket(IpAddressFamily::Ipv4)?;
    socket.start_connect(network, loopback(port))?;
    socket.subscribe().block();
    socket.finish_connect().map(drop)
}

fn udp(network: &Network) -> Result<(), ErrorCode> {
    let socket = create_udp_socket(IpAddressFamily::Ipv4)?;
    socket.start_bind(network, loopback(0))?;
    socket.subscribe().block();
    socket.finish_bind()
}

fn lookup(network: &Network, name: &str) -> Result<(), ErrorCode> {
    let stream = resolve_addresses(network, name)?;
    loop {
        match stream.resolve_next_address() {
            Ok(Some(_)) => return Ok(()),
            Ok(None) => return Err(ErrorCode::NameUnresolvable),
            Err(ErrorCode::WouldBlock) => stream.subscribe().block(),
            Err(e) => return Err(e),
        }
    }
}

impl Skill for Sockets {
    fn manifest() -> Manifest {
        Manifest::new("sockets", "0.1.0", "Tries to open sockets.")
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let port = input
            .event
            .payload
            .get("port")
            .and_then(Value::as_u64)
            .and_then(|p| u16::try_from(p).ok())
            .ok_or_else(|| SkillError::InvalidInput("payload needs `port`".into()))?;
        let network = instance_network();
        Ok(Output::new(json!({
            "tcp": outcome(tcp(&network, port)),
            "udp": outcome(udp(&network)),
            "lookup": outcome(lookup(&network, "localhost")),
        })))
    }
}

export_skill!(Sockets);
