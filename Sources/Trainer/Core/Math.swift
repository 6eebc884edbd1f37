import Glibc

/// Scalar libm functions used off the hot paths (initialisation, schedules, reports).
enum Math {
    @inline(__always) static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inline(__always) static func cos(_ x: Double) -> Double { Glibc.cos(x) }
    @inline(__always) static func sin(_ x: Double) -> Double { Glibc.sin(x) }
    @inline(__always) static func exp(_ x: Double) -> Double { Glibc.exp(x) }
}
