(()=>{function t(r,o){if(!o.sku)throw new Error(`item without a sku: ${o.name}`);return r.push(o),r.length}function n(r){let o=[];for(let e of r)t(o,e);return o}globalThis.breakShop=function(){return n([{sku:"TEA-1",name:"tea"},{name:"broken"}])};})();
//# sourceMappingURL=app.js.map
