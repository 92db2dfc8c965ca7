-- wrk script: each request asks for the top-10 of a random one of the 1000 benchmark users.
math.randomseed(42)
request = function()
  return wrk.format("GET", "/users/" .. math.random(0, 999) .. "/recommendations?k=10")
end
