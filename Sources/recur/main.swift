print("recur: not yet built")
