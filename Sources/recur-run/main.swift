import Runtime
print("recur-run: not yet built")
